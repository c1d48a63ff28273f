package dev.atmodem.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A throw-away PKI for the TLS tests: roots, server and client certificates, and every PEM form of their keys. */
final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and its certificate. */
    record Issued(KeyPair keys, X509Certificate cert) {
        PrivateKey key() {
            return keys.getPrivate();
        }
    }

    private TestPki() {
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** An EC P-256 key pair; made by Bouncy Castle so its SEC1 form carries the curve, as OpenSSL's files do. */
    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static Issued root(String cn, KeyPair keys) throws Exception {
        return new Issued(keys, build(cn, keys, cn, keys.getPrivate(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(3650)), true, new String[0]));
    }

    static Issued leaf(String cn, KeyPair keys, Issued issuer, String... names) throws Exception {
        return leaf(cn, keys, issuer, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(90)),
                names);
    }

    static Issued leaf(String cn, KeyPair keys, Issued issuer, Instant from, Instant to, String... names)
            throws Exception {
        return new Issued(keys, build(cn, keys, issuer.cert().getSubjectX500Principal().getName(), issuer.key(),
                from, to, false, names));
    }

    private static X509Certificate build(String cn, KeyPair keys, String issuerDn, PrivateKey issuerKey, Instant from,
                                         Instant to, boolean ca, String[] names) throws Exception {
        X500Name subject = new X500Name(cn.startsWith("CN=") ? cn : "CN=" + cn);
        X500Name issuer = new X500Name(issuerDn.startsWith("CN=") ? issuerDn : "CN=" + issuerDn);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), subject,
                keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        if (names.length > 0) {
            GeneralName[] g = new GeneralName[names.length];
            for (int i = 0; i < names.length; i++) {
                g[i] = names[i].matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, names[i])
                        : new GeneralName(GeneralName.dNSName, names[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(g));
        }
        String alg = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
    }

    /** Certificates, or a KeyPair in its classic form (PKCS#1 for RSA, SEC1 for EC). */
    static String pem(Object... objects) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                p.writeObject(o);
            }
        }
        return w.toString();
    }

    static String pkcs8(PrivateKey key) throws Exception {
        return pem(new JcaPKCS8Generator(key, null));
    }

    static String pkcs8Encrypted(PrivateKey key, char[] password) throws Exception {
        OutputEncryptor enc = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword(password).build();
        return pem(new JcaPKCS8Generator(key, enc));
    }

    static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static Path pkcs12(Path dir, String name, Issued id, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", id.key(), password, new Certificate[] {id.cert()});
        Path p = dir.resolve(name);
        try (OutputStream o = Files.newOutputStream(p)) {
            ks.store(o, password);
        }
        return p;
    }
}
