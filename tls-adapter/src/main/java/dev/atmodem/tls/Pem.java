package dev.atmodem.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads certificates and private keys from PEM text, and says in plain words what is wrong when it cannot: DER where
 * PEM was expected, a missing BEGIN or END line, a password-protected key without a password, a key where a
 * certificate was expected. Keys in PKCS#1 (RSA), SEC1 (EC), PKCS#8 and encrypted PKCS#8 are accepted, as are
 * classic OpenSSL-encrypted keys. Line ends may be LF, CRLF or CR alone.
 */
final class Pem {

    /** Bouncy Castle's crypto for reading keys (EC parameters, PBES2 ciphers), used directly, never installed. */
    static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";

    private Pem() {
    }

    static String read(Path file, String what) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsSetupException("cannot read the " + what + " file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > 0 && (bytes[0] & 0xff) == 0x30) {
            throw new TlsSetupException("the " + what + " file " + file + " is binary DER, not PEM text: convert it"
                    + " with 'openssl x509 -inform der -in " + file.getFileName() + " -out cert.pem' (or 'openssl"
                    + " pkey -inform der ...' for a key)");
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** Every certificate in {@code pem} (a bundle may hold many). */
    static List<X509Certificate> certificates(String pem, String source) throws TlsSetupException {
        checkFraming(pem, source, "CERTIFICATE");
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(conv.getCertificate(h));
                } else {
                    throw new TlsSetupException(source + " holds " + describe(o) + " where a certificate was"
                            + " expected");
                }
            }
        } catch (IOException | CertificateException e) {
            if (e instanceof TlsSetupException t) {
                throw t;
            }
            throw new TlsSetupException(source + " is not a readable PEM certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new TlsSetupException(source + " contains no certificate (no '-----BEGIN CERTIFICATE-----' block)");
        }
        return out;
    }

    /** The one private key in {@code pem}; {@code password} for an encrypted key, else null. */
    static PrivateKey privateKey(String pem, char[] password, String source) throws TlsSetupException {
        checkFraming(pem, source, "PRIVATE KEY");
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter().setProvider(BC);
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof PEMKeyPair kp) {
                    return conv.getPrivateKey(kp.getPrivateKeyInfo()); // PKCS#1 RSA or SEC1 EC
                }
                if (o instanceof PrivateKeyInfo info) {
                    return conv.getPrivateKey(info); // PKCS#8
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    requirePassword(password, source);
                    PrivateKeyInfo info;
                    try {
                        InputDecryptorProvider d = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC)
                                .build(password);
                        info = enc.decryptPrivateKeyInfo(d);
                    } catch (PKCSException | OperatorCreationException e) {
                        throw wrongPassword(source, e);
                    }
                    return conv.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair enc) {
                    requirePassword(password, source);
                    PEMKeyPair kp;
                    try {
                        PEMDecryptorProvider d = new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password);
                        kp = enc.decryptKeyPair(d);
                    } catch (IOException e) {
                        throw wrongPassword(source, e);
                    }
                    return conv.getPrivateKey(kp.getPrivateKeyInfo());
                }
                if (o instanceof X509CertificateHolder) {
                    continue; // a combined cert+key file: the key comes later
                }
                throw new TlsSetupException(source + " holds " + describe(o) + " where a private key was expected");
            }
        } catch (IOException e) {
            if (e instanceof TlsSetupException t) {
                throw t;
            }
            throw new TlsSetupException(source + " is not a readable PEM private key: " + e.getMessage(), e);
        }
        throw new TlsSetupException(source + " contains no private key (no '-----BEGIN ... PRIVATE KEY-----' block)");
    }

    private static TlsSetupException wrongPassword(String source, Exception e) {
        return new TlsSetupException("cannot decrypt the private key in " + source + ": wrong password?", e);
    }

    private static void requirePassword(char[] password, String source) throws TlsSetupException {
        if (password == null) {
            throw new TlsSetupException("the private key in " + source + " is protected by a password, and none was"
                    + " given: pass it to identity(cert, key, password)");
        }
    }

    /** BEGIN and END lines must pair up; a lone one is the most common copy-and-paste accident. */
    private static void checkFraming(String pem, String source, String expected) throws TlsSetupException {
        int begins = count(pem, BEGIN);
        int ends = count(pem, END);
        if (begins == 0 && ends == 0) {
            throw new TlsSetupException(source + " is not PEM: there is no '-----BEGIN " + expected + "-----' line");
        }
        if (begins > ends) {
            throw new TlsSetupException(source + " has a '-----BEGIN' line without its '-----END' line (truncated"
                    + " copy?)");
        }
        if (ends > begins) {
            throw new TlsSetupException(source + " has an '-----END' line without its '-----BEGIN' line (the first"
                    + " line was lost?)");
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String describe(Object o) {
        if (o instanceof X509CertificateHolder) {
            return "a certificate";
        }
        if (o instanceof PEMKeyPair || o instanceof PrivateKeyInfo || o instanceof PKCS8EncryptedPrivateKeyInfo
                || o instanceof PEMEncryptedKeyPair) {
            return "a private key";
        }
        return "a " + o.getClass().getSimpleName();
    }
}
