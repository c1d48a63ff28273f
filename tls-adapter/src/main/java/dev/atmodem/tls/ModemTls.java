package dev.atmodem.tls;

import dev.atmodem.Modem;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.SocketFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Modern, verified TLS (1.3 and 1.2, Bouncy Castle JSSE) over modem sockets. Build one with {@link #builder()}, then
 * hand its factories to your client:
 *
 * <pre>{@code
 * ModemTls tls = ModemTls.builder()
 *         .trustPem(Path.of("AmazonRootCA1.pem"))
 *         .identity(Path.of("device.crt"), Path.of("device.key"))
 *         .alpn("x-amzn-mqtt-ca")
 *         .build();
 * mqttOptions.setSocketFactory(tls.socketFactory(modem));           // Paho, ssl://
 * okHttp.socketFactory(modem.socketFactory())
 *       .sslSocketFactory(tls.socketFactory(modem), tls.trustManager()) // OkHttp
 *       .dns(ModemOkHttp.dns(modem));
 * }</pre>
 *
 * The chain and the host name are always verified, against the host clock or, when that is clearly unset, the modem's
 * network time. Failures say what is wrong in plain words. Immutable and thread-safe; reuse one instance so that
 * TLS 1.2 sessions resume across reconnections.
 */
public final class ModemTls {

    /** Bouncy Castle's JSSE with Bouncy Castle's crypto, private to atmodem: nothing is installed JVM-wide. */
    private static final Provider JSSE = new BouncyCastleJsseProvider(new BouncyCastleProvider());
    private static final List<String> ALLOWED = List.of("TLSv1.3", "TLSv1.2");

    private final List<X509Certificate> roots;
    private final ClientKeyManager keyManager;
    private final String[] alpn;
    private final String sni;
    private final String[] protocols;
    private final boolean verifyHostname;
    private final ValidationClock clock;
    private final Map<Object, SSLContext> contexts = Collections.synchronizedMap(new WeakHashMap<>());
    private final Object noModem = new Object();
    private final Set<String> seenSessions = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
                    return size() > 1000;
                }
            }));

    private ModemTls(Builder b, List<X509Certificate> roots, X509ExtendedKeyManager identity) {
        this.roots = List.copyOf(roots);
        this.keyManager = new ClientKeyManager(identity);
        this.alpn = b.alpn.toArray(new String[0]);
        this.sni = b.sni;
        this.protocols = b.tls12Only ? new String[] {"TLSv1.2"} : ALLOWED.toArray(new String[0]);
        this.verifyHostname = b.verifyHostname;
        this.clock = new ValidationClock(b.hostClock, b.alwaysModemTime);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * An {@link SSLSocketFactory} for TLS through {@code modem}: {@code createSocket()} then {@code connect()} opens
     * the modem socket and layers TLS (Paho's {@code ssl://} route); {@code createSocket(host, port)} does both at
     * once; {@code createSocket(socket, host, port, autoClose)} layers TLS over a socket you opened with
     * {@code modem.socketFactory()} (OkHttp, Apache HttpClient).
     */
    public SSLSocketFactory socketFactory(Modem modem) {
        return new Factory(modem, context(modem).getSocketFactory());
    }

    /**
     * A plain {@link SocketFactory} whose sockets are already encrypted: for clients that accept only a plain factory
     * (Paho with a {@code tcp://} URI, which refuses SSL factories there).
     */
    public SocketFactory encryptedSocketFactory(Modem modem) {
        Factory f = new Factory(Objects.requireNonNull(modem, "modem"), context(modem).getSocketFactory());
        return new SocketFactory() {
            @Override
            public Socket createSocket() throws IOException {
                return f.createSocket();
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return f.createSocket(host, port);
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
                    throws IOException {
                return f.createSocket(host, port, localHost, localPort);
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return f.createSocket(host, port);
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                    throws IOException {
                return f.createSocket(address, port, localAddress, localPort);
            }
        };
    }

    /** The trust manager, for clients that want it alongside the factory (OkHttp's {@code sslSocketFactory}). */
    public X509TrustManager trustManager() {
        return new DiagnosingTrustManager(roots, clock, verifyHostname, null);
    }

    /**
     * Connects to {@code host:port} through {@code modem}, runs a handshake and reports what happened: protocol,
     * cipher, chain, validity, bytes and round trips; or the problem in plain words. For the CLI's {@code tls-check}.
     */
    public TlsReport check(Modem modem, String host, int port) throws IOException {
        String target = host + ":" + port;
        ModemSslSocket s;
        try {
            s = (ModemSslSocket) socketFactory(modem).createSocket();
            s.connect(InetSocketAddress.createUnresolved(host, port));
        } catch (IOException e) {
            return TlsReport.failed(target, "cannot open a TCP connection through the modem: " + e.getMessage());
        }
        try (s) {
            try {
                s.startHandshake();
            } catch (IOException e) {
                return TlsReport.failed(target, e.getMessage());
            }
            SSLSession session = s.getSession();
            List<String> chain = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                X509Certificate x = (X509Certificate) c;
                chain.add(x.getSubjectX500Principal().getName() + " (valid " + x.getNotBefore().toInstant() + " to "
                        + x.getNotAfter().toInstant() + ")");
            }
            return new TlsReport(target, true, null, session.getProtocol(), session.getCipherSuite(),
                    s.getApplicationProtocol(), chain, s.handshakeCost());
        }
    }

    // ---- used by ModemSslSocket ----

    ClientKeyManager keyManager() {
        return keyManager;
    }

    String[] protocols() {
        return protocols.clone();
    }

    /** Our defaults for a new socket, on top of what the client asked for before connecting. */
    SSLParameters defaultParameters(String host, SSLParameters clientWishes) {
        SSLParameters p = clientWishes == null ? new SSLParameters() : sanitise(clientWishes);
        if (p.getProtocols() == null || p.getProtocols().length == 0) {
            p.setProtocols(protocols());
        }
        if ((p.getApplicationProtocols() == null || p.getApplicationProtocols().length == 0) && alpn.length > 0) {
            p.setApplicationProtocols(alpn.clone());
        }
        String name = sni != null ? sni : host;
        if (name != null && !isIpLiteral(name)) {
            p.setServerNames(List.of(new SNIHostName(name)));
        }
        return p;
    }

    SSLParameters defaultParameters(String host) {
        return defaultParameters(host, null);
    }

    /** A client's parameters minus what would weaken us: old protocol versions, a second host name check. */
    SSLParameters sanitise(SSLParameters in) {
        SSLParameters p = new SSLParameters(in.getCipherSuites(), in.getProtocols());
        if (in.getProtocols() != null) {
            String[] ok = Arrays.stream(in.getProtocols()).filter(Arrays.asList(protocols)::contains)
                    .toArray(String[]::new);
            if (ok.length == 0 && in.getProtocols().length > 0) {
                throw new IllegalArgumentException("only " + String.join(" and ", protocols) + " are allowed;"
                        + " asked for " + String.join(", ", in.getProtocols()));
            }
            p.setProtocols(ok.length == 0 ? null : ok);
        }
        p.setApplicationProtocols(in.getApplicationProtocols());
        if (in.getServerNames() != null) {
            p.setServerNames(in.getServerNames());
        }
        p.setEndpointIdentificationAlgorithm(null); // our trust manager checks the host name, once
        return p;
    }

    boolean wasResumed(SSLSession session) {
        if (session == null || session.getId() == null || session.getId().length == 0) {
            return false;
        }
        return !seenSessions.add(HexFormat.of().formatHex(session.getId()));
    }

    private SSLContext context(Modem modem) {
        return contexts.computeIfAbsent(modem == null ? noModem : modem, k -> {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS", JSSE);
                TrustManager tm = new DiagnosingTrustManager(roots, clock, verifyHostname, modem);
                ctx.init(new KeyManager[] {keyManager}, new TrustManager[] {tm}, new SecureRandom());
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Bouncy Castle JSSE is not usable: " + e.getMessage(), e);
            }
        });
    }

    private static boolean isIpLiteral(String h) {
        return h.matches("[0-9.]+") || h.contains(":");
    }

    /** The factory every output is made of. */
    private final class Factory extends SSLSocketFactory {
        private final Modem modem;
        private final SSLSocketFactory bc;

        Factory(Modem modem, SSLSocketFactory bc) {
            this.modem = modem;
            this.bc = bc;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return bc.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return bc.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            if (modem == null) {
                throw new SocketException("this factory has no modem: use socketFactory(modem)");
            }
            return new ModemSslSocket(ModemTls.this, modem, bc);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = createSocket();
            try {
                s.connect(InetSocketAddress.createUnresolved(host, port));
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            if (localPort != 0 || localHost != null && !localHost.isAnyLocalAddress()) {
                throw new SocketException("binding a local address or port is not supported by modem sockets");
            }
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return createSocket(new InetSocketAddress(host, port).getHostString(), port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return createSocket(new InetSocketAddress(address, port).getHostString(), port, localAddress, localPort);
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return new ModemSslSocket(ModemTls.this, bc, s, host, port, autoClose);
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            throw new SocketException("server-side TLS is not supported by atmodem");
        }
    }

    /** Builds a {@link ModemTls}; every setting has a safe default. */
    public static final class Builder {
        private final List<X509Certificate> trusted = new ArrayList<>();
        private boolean systemRoots;
        private final List<String> alpn = new ArrayList<>();
        private String sni;
        private boolean tls12Only;
        private boolean verifyHostname = true;
        private Clock hostClock = Clock.systemUTC();
        private boolean alwaysModemTime;
        private X509ExtendedKeyManager identity;
        private IOException deferred;

        private Builder() {
        }

        /** Trusts the certificates in these PEM files (each may be a bundle). */
        public Builder trustPem(Path... files) {
            for (Path f : files) {
                remember(() -> trusted.addAll(Pem.certificates(Pem.read(f, "trusted certificate"), f.toString())));
            }
            return this;
        }

        /** Trusts the certificates in this PEM text. */
        public Builder trustPemText(String pem) {
            remember(() -> trusted.addAll(Pem.certificates(pem, "the trusted PEM text")));
            return this;
        }

        /** Trusts every certificate entry of a key store. */
        public Builder trust(KeyStore store) {
            remember(() -> {
                try {
                    for (String alias : Collections.list(store.aliases())) {
                        if (store.getCertificate(alias) instanceof X509Certificate c) {
                            trusted.add(c);
                        }
                    }
                } catch (GeneralSecurityException e) {
                    throw new TlsSetupException("cannot read the trust store: " + e.getMessage(), e);
                }
            });
            return this;
        }

        /** Trusts the JDK's default root certificates (the default when nothing else is trusted). */
        public Builder trustSystemRoots() {
            systemRoots = true;
            return this;
        }

        /** Client certificate chain and private key (PKCS#1, SEC1 or PKCS#8) in PEM files, for mutual TLS. */
        public Builder identity(Path certChainPem, Path keyPem) {
            return identity(certChainPem, keyPem, null);
        }

        /** As {@link #identity(Path, Path)} with the password of an encrypted key. */
        public Builder identity(Path certChainPem, Path keyPem, char[] password) {
            remember(() -> identity = identityOf(
                    Pem.certificates(Pem.read(certChainPem, "client certificate"), certChainPem.toString()),
                    Pem.privateKey(Pem.read(keyPem, "private key"), password, keyPem.toString()),
                    keyPem.toString()));
            return this;
        }

        /** Client identity from PEM text. */
        public Builder identityPem(String certChainPem, String keyPem, char[] password) {
            remember(() -> identity = identityOf(Pem.certificates(certChainPem, "the client certificate PEM text"),
                    Pem.privateKey(keyPem, password, "the private key PEM text"), "the private key PEM text"));
            return this;
        }

        /** Client identity from a PKCS#12 file (.p12/.pfx). */
        public Builder identityPkcs12(Path file, char[] password) {
            remember(() -> {
                try (InputStream in = Files.newInputStream(file)) {
                    KeyStore ks = KeyStore.getInstance("PKCS12");
                    ks.load(in, password);
                    for (String alias : Collections.list(ks.aliases())) {
                        if (ks.isKeyEntry(alias)) {
                            PrivateKey key = (PrivateKey) ks.getKey(alias, password);
                            List<X509Certificate> chain = new ArrayList<>();
                            for (Certificate c : ks.getCertificateChain(alias)) {
                                chain.add((X509Certificate) c);
                            }
                            identity = identityOf(chain, key, file.toString());
                            return;
                        }
                    }
                    throw new TlsSetupException(file + " holds no private key entry");
                } catch (GeneralSecurityException e) {
                    throw new TlsSetupException("cannot read the PKCS#12 file " + file + " (wrong password?): "
                            + e.getMessage(), e);
                }
            });
            return this;
        }

        /** ALPN protocols to offer, e.g. {@code "x-amzn-mqtt-ca"}, {@code "mqtt"}, {@code "http/1.1"}. */
        public Builder alpn(String... protocols) {
            alpn.addAll(List.of(protocols));
            return this;
        }

        /** The SNI name to send instead of the host connected to (it is sent for every host name by default). */
        public Builder serverName(String name) {
            this.sni = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Negotiate TLS 1.2 only, so that reconnections resume the session: Bouncy Castle does not resume TLS 1.3
         * sessions, and a resumed 1.2 handshake saves the certificate chain (kilobytes on a metered link) and a round
         * trip. The price is TLS 1.3's shorter first handshake and its stronger defaults.
         */
        public Builder preferTls12Resumption() {
            this.tls12Only = true;
            return this;
        }

        /** Turns host name verification off. Anyone on the path can then impersonate the server. */
        public Builder insecureSkipHostnameVerification() {
            this.verifyHostname = false;
            return this;
        }

        /** The host clock to validate certificates with (default: the system clock). */
        public Builder hostClock(Clock clock) {
            this.hostClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Always validate certificates against the modem's network time, not only when the host clock is unset. */
        public Builder useModemTime() {
            this.alwaysModemTime = true;
            return this;
        }

        public ModemTls build() throws IOException {
            if (deferred != null) {
                throw deferred;
            }
            List<X509Certificate> roots = new ArrayList<>(trusted);
            if (systemRoots || roots.isEmpty()) {
                roots.addAll(systemRoots());
            }
            return new ModemTls(this, roots, identity);
        }

        private interface Step {
            void run() throws IOException;
        }

        /** Builder methods stay fluent; the first problem is thrown by {@link #build()}. */
        private void remember(Step step) {
            if (deferred != null) {
                return;
            }
            try {
                step.run();
            } catch (IOException e) {
                deferred = e;
            }
        }

        private static List<X509Certificate> systemRoots() throws TlsSetupException {
            try {
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init((KeyStore) null);
                for (TrustManager tm : f.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        return List.of(x.getAcceptedIssuers());
                    }
                }
                return List.of();
            } catch (GeneralSecurityException e) {
                throw new TlsSetupException("cannot load the JDK's root certificates: " + e.getMessage(), e);
            }
        }

        private static X509ExtendedKeyManager identityOf(List<X509Certificate> chain, PrivateKey key, String source)
                throws TlsSetupException {
            checkKeyMatches(chain.get(0), key, source);
            try {
                char[] pw = "atmodem".toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key, pw, chain.toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", JSSE);
                kmf.init(ks, pw);
                for (KeyManager km : kmf.getKeyManagers()) {
                    if (km instanceof X509ExtendedKeyManager x) {
                        return x;
                    }
                }
                throw new TlsSetupException("Bouncy Castle made no X.509 key manager");
            } catch (GeneralSecurityException | IOException e) {
                throw new TlsSetupException("cannot use the client identity: " + e.getMessage(), e);
            }
        }

        /** Signs a challenge with the key and checks it with the certificate: the surest "do they belong" test. */
        private static void checkKeyMatches(X509Certificate cert, PrivateKey key, String source)
                throws TlsSetupException {
            String alg = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC", "ECDSA" -> "SHA256withECDSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> null;
            };
            if (alg == null) {
                return;
            }
            try {
                byte[] challenge = "atmodem key check".getBytes(StandardCharsets.US_ASCII);
                Signature s = Signature.getInstance(alg, Pem.BC);
                s.initSign(key);
                s.update(challenge);
                byte[] sig = s.sign();
                Signature v = Signature.getInstance(alg, Pem.BC);
                v.initVerify(cert.getPublicKey());
                v.update(challenge);
                if (v.verify(sig)) {
                    return;
                }
            } catch (GeneralSecurityException e) {
                // different key types end up here too: report the mismatch below
            }
            throw new TlsSetupException("the private key in " + source + " does not belong to the certificate '"
                    + cert.getSubjectX500Principal().getName() + "' (they are not a pair)");
        }
    }
}
