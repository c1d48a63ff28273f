package dev.atmodem.tls;

import dev.atmodem.Modem;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies the server's chain (PKIX, against the configured roots, at the {@link ValidationClock}'s time) and its
 * host name, and when either fails says why in words a person can act on: which root the chain ends at and which ones
 * are trusted, which date is outside which validity window by which clock, which names the certificate does hold.
 */
final class DiagnosingTrustManager extends X509ExtendedTrustManager {

    /** A verification failure with a plain-words message. */
    static final class Diagnosis extends CertificateException {
        Diagnosis(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final List<X509Certificate> roots;
    private final Set<TrustAnchor> anchors = new HashSet<>();
    private final ValidationClock clock;
    private final boolean verifyHostname;
    private final Modem modem;

    DiagnosingTrustManager(List<X509Certificate> roots, ValidationClock clock, boolean verifyHostname, Modem modem) {
        this.roots = List.copyOf(roots);
        for (X509Certificate c : roots) {
            anchors.add(new TrustAnchor(c, null));
        }
        this.clock = clock;
        this.verifyHostname = verifyHostname;
        this.modem = modem;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        String host = null;
        if (socket instanceof SSLSocket s) {
            SSLSession hs = s.getHandshakeSession();
            host = hs != null ? hs.getPeerHost() : null;
        }
        check(chain, host);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, engine == null ? null : engine.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null);
    }

    void check(X509Certificate[] chain, String host) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new Diagnosis("the server sent no certificate", null);
        }
        ValidationClock.Reading now = clock.read(modem);
        verifyChain(chain, now);
        if (verifyHostname) {
            if (host == null || host.isEmpty()) {
                throw new Diagnosis("cannot verify the server's host name: the TLS socket was made without one", null);
            }
            if (!HostnameMatcher.matches(host, chain[0])) {
                throw new Diagnosis("host name '" + host + "' is not in the server's certificate (it names: "
                        + String.join(", ", HostnameMatcher.names(chain[0])) + ")", null);
            }
        }
    }

    private void verifyChain(X509Certificate[] chain, ValidationClock.Reading now) throws CertificateException {
        List<X509Certificate> path = new ArrayList<>(List.of(chain));
        // The path handed to PKIX must stop below the trust anchor; servers often send the root too.
        while (!path.isEmpty() && isAnchor(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        if (path.isEmpty()) {
            checkDates(chain, now, null);
            return; // the server's certificate is itself a trusted root (self-signed and pinned)
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now.instant()));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (CertPathValidatorException e) {
            X509Certificate top = chain[chain.length - 1];
            if (!chainsToAnchor(path.get(path.size() - 1))) {
                throw new Diagnosis("the server's chain ends at '" + top.getIssuerX500Principal().getName()
                        + "' but you trust only " + trustedNames(), e);
            }
            checkDates(chain, now, e);
            throw new Diagnosis("the server's certificate chain does not verify: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new Diagnosis("cannot check the server's certificate chain: " + e.getMessage(), e);
        }
    }

    private void checkDates(X509Certificate[] chain, ValidationClock.Reading now, Throwable cause)
            throws Diagnosis {
        Instant t = now.instant();
        for (X509Certificate c : chain) {
            String who = c == chain[0] ? "the server's certificate" : "the certificate '"
                    + c.getSubjectX500Principal().getName() + "'";
            if (t.isBefore(c.getNotBefore().toInstant())) {
                throw new Diagnosis(who + " is not valid until " + c.getNotBefore().toInstant()
                        + " but the validation clock says " + t + " (" + now.source()
                        + clock.otherClock(modem, now) + ")", cause);
            }
            if (t.isAfter(c.getNotAfter().toInstant())) {
                throw new Diagnosis(who + " expired on " + c.getNotAfter().toInstant() + " and the validation clock"
                        + " says " + t + " (" + now.source() + clock.otherClock(modem, now) + ")", cause);
            }
        }
    }

    private boolean isAnchor(X509Certificate c) {
        return roots.contains(c);
    }

    private boolean chainsToAnchor(X509Certificate last) {
        return roots.stream().anyMatch(r -> r.getSubjectX500Principal().equals(last.getIssuerX500Principal()));
    }

    private String trustedNames() {
        if (roots.isEmpty()) {
            return "no root at all";
        }
        List<String> names = roots.stream().map(r -> "'" + r.getSubjectX500Principal().getName() + "'")
                .limit(3).collect(Collectors.toList());
        return String.join(", ", names) + (roots.size() > 3 ? " and " + (roots.size() - 3) + " more" : "");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("atmodem is a TLS client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("atmodem is a TLS client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("atmodem is a TLS client only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return roots.toArray(new X509Certificate[0]);
    }
}
