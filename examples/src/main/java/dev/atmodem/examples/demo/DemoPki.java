package dev.atmodem.examples.demo;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A throw-away certificate authority made at start-up (EC P-256, with Bouncy Castle's certificate builder): one root
 * and server certificates for local names. Nothing is written to disk unless the caller does it.
 */
public final class DemoPki {

    /** A key pair with its certificate. */
    public record Issued(KeyPair keys, X509Certificate cert) {
        public PrivateKey key() {
            return keys.getPrivate();
        }

        /** The certificate in PEM form. */
        public String certPem() throws IOException {
            return pem(cert);
        }

        /** The private key in PEM form (PKCS#8). */
        public String keyPem() throws IOException {
            return pem(keys.getPrivate());
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued root;

    private DemoPki(Issued root) {
        this.root = root;
    }

    /** A new root named {@code CN=<name>}, valid from a day ago for ten years. */
    public static DemoPki create(String name) throws IOException {
        try {
            KeyPair keys = ecKeys();
            Instant now = Instant.now();
            X509Certificate cert = sign(name, keys, new X500Name("CN=" + name), keys.getPrivate(),
                    now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true, new String[0]);
            return new DemoPki(new Issued(keys, cert));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create the demo certificate authority: " + e.getMessage(), e);
        }
    }

    public Issued root() {
        return root;
    }

    /** A server certificate for {@code names} (DNS names or IPv4 literals), valid from an hour ago for 30 days. */
    public Issued server(String... names) throws IOException {
        return server(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)), names);
    }

    /** A server certificate for {@code names} with the given validity. */
    public Issued server(Instant from, Instant to, String... names) throws IOException {
        try {
            KeyPair keys = ecKeys();
            X509Certificate cert = sign(names[0], keys,
                    new X500Name(root.cert().getSubjectX500Principal().getName()), root.key(), from, to, false, names);
            return new Issued(keys, cert);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot issue the demo server certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String cn, KeyPair keys, X500Name issuer, PrivateKey issuerKey, Instant from,
                                        Instant to, boolean ca, String[] names)
            throws CertIOException, OperatorCreationException, GeneralSecurityException {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs(),
                Date.from(from), Date.from(to), new X500Name("CN=" + cn), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            GeneralName[] g = new GeneralName[names.length];
            for (int i = 0; i < names.length; i++) {
                g[i] = names[i].matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, names[i])
                        : new GeneralName(GeneralName.dNSName, names[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(g));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    /** PEM text of certificates or keys. */
    public static String pem(Object... objects) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                p.writeObject(o);
            }
        }
        return w.toString();
    }
}
