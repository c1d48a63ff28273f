package dev.atmodem.bench;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away EC P-256 root and server certificates for 127.0.0.1 with either an ECDSA P-256 or an RSA-2048 key, so
 * that the handshake benchmark can compare the two (the examples' DemoPki issues EC keys only).
 */
final class BenchPki {

    /** Server key algorithms the handshake benchmark compares. */
    enum KeyType { ECDSA_P256, RSA_2048 }

    record Issued(KeyPair keys, X509Certificate cert) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued root;

    private BenchPki(Issued root) {
        this.root = root;
    }

    static BenchPki create() throws GeneralSecurityException, OperatorCreationException,
            org.bouncycastle.cert.CertIOException {
        KeyPair k = keys(KeyType.ECDSA_P256);
        Instant now = Instant.now();
        return new BenchPki(new Issued(k, sign(k, "atmodem bench root", k, "atmodem bench root", now, true)));
    }

    Issued root() {
        return root;
    }

    Issued server(KeyType type) throws GeneralSecurityException, OperatorCreationException,
            org.bouncycastle.cert.CertIOException {
        KeyPair k = keys(type);
        return new Issued(k, sign(k, "127.0.0.1", root.keys(), "atmodem bench root", Instant.now(), false));
    }

    private static KeyPair keys(KeyType type) throws GeneralSecurityException {
        if (type == KeyType.RSA_2048) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(KeyPair subject, String cn, KeyPair issuer, String issuerCn, Instant now,
                                        boolean ca)
            throws GeneralSecurityException, OperatorCreationException, org.bouncycastle.cert.CertIOException {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn),
                new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + cn), subject.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, cn)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }
}
