package dev.atmodem.tls;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutual TLS with every private-key format, and every PEM defect explained in plain words. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MutualTlsAndPemTest {

    @TempDir
    static Path dir;
    private static TlsFixture fx;
    private static TestPki.Issued root;
    private static JdkTlsServer mtlsServer;
    private static Path rootPem;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new TlsFixture();
        root = TestPki.root("CN=Device Root", TestPki.ec());
        rootPem = TestPki.write(dir, "root.pem", TestPki.pem(root.cert()));
        mtlsServer = new JdkTlsServer(TestPki.leaf("tls.test", TestPki.ec(), root, "tls.test"), "TLSv1.3",
                root.cert());
    }

    @AfterAll
    static void tearDown() throws IOException {
        mtlsServer.close();
        fx.close();
    }

    private static void connectWith(ModemTls tls, String expectedClient) throws IOException {
        int before = mtlsServer.clientCertsSeen.size();
        try (Socket s = tls.socketFactory(fx.modem).createSocket("tls.test", mtlsServer.port())) {
            TlsFixture.echoLine(s, "mutual");
        }
        assertEquals("CN=" + expectedClient, mtlsServer.clientCertsSeen.get(before));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS#1 RSA", "SEC1 EC", "PKCS#8", "encrypted PKCS#8", "PKCS#12"})
    void mutualTlsWithEveryKeyFormat(String format) throws Exception {
        boolean rsa = format.contains("RSA") || format.equals("PKCS#8");
        TestPki.Issued client = TestPki.leaf("device-" + format.replaceAll("\\W", ""),
                rsa ? TestPki.rsa() : TestPki.ec(), root);
        Path cert = TestPki.write(dir, "client.crt", TestPki.pem(client.cert()));
        char[] pw = "s3cret".toCharArray();
        ModemTls.Builder b = ModemTls.builder().trustPem(rootPem);
        switch (format) {
            case "PKCS#1 RSA", "SEC1 EC" -> {
                String key = TestPki.pem(client.keys());
                assertTrue(key.contains(rsa ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY"), key);
                b.identity(cert, TestPki.write(dir, "client.key", key));
            }
            case "PKCS#8" -> b.identity(cert, TestPki.write(dir, "client.key", TestPki.pkcs8(client.key())));
            case "encrypted PKCS#8" -> {
                String key = TestPki.pkcs8Encrypted(client.key(), pw);
                assertTrue(key.contains("BEGIN ENCRYPTED PRIVATE KEY"), key);
                b.identity(cert, TestPki.write(dir, "client.key", key), pw);
            }
            case "PKCS#12" -> b.identityPkcs12(TestPki.pkcs12(dir, "client.p12", client, pw), pw);
            default -> throw new IllegalArgumentException(format);
        }
        connectWith(b.build(), client.cert().getSubjectX500Principal().getName().substring(3));
    }

    @Test
    void aMissingClientCertificateIsNamedAsTheProblem() throws Exception {
        ModemTls tls = ModemTls.builder().trustPem(rootPem).build();
        IOException e = assertThrows(IOException.class, () -> {
            try (Socket s = tls.socketFactory(fx.modem).createSocket("tls.test", mtlsServer.port())) {
                TlsFixture.echoLine(s, "no identity");
            }
        });
        assertTrue(e instanceof SSLHandshakeException, e.toString());
        assertTrue(e.getMessage().contains("the server asked for a client certificate and none was configured"),
                e.getMessage());
    }

    // ---- PEM defects ----

    private static TlsSetupException buildFails(ModemTls.Builder b) {
        return assertThrows(TlsSetupException.class, b::build);
    }

    @Test
    void aMissingBeginLineIsExplained() throws Exception {
        String pem = TestPki.pem(root.cert());
        Path p = TestPki.write(dir, "nobegin.pem", pem.substring(pem.indexOf('\n') + 1));
        assertTrue(buildFails(ModemTls.builder().trustPem(p)).getMessage()
                .contains("'-----END' line without its '-----BEGIN' line"));
    }

    @Test
    void aMissingEndLineIsExplained() throws Exception {
        String pem = TestPki.pem(root.cert()).trim();
        Path p = TestPki.write(dir, "noend.pem", pem.substring(0, pem.lastIndexOf('\n')));
        assertTrue(buildFails(ModemTls.builder().trustPem(p)).getMessage()
                .contains("'-----BEGIN' line without its '-----END' line"));
    }

    @Test
    void derWherePemWasExpectedIsExplainedWithTheFix() throws Exception {
        Path p = dir.resolve("root.der");
        Files.write(p, root.cert().getEncoded());
        String m = buildFails(ModemTls.builder().trustPem(p)).getMessage();
        assertTrue(m.contains("is binary DER, not PEM") && m.contains("openssl x509 -inform der"), m);
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefused() throws Exception {
        TestPki.Issued client = TestPki.leaf("device", TestPki.ec(), root);
        Path cert = TestPki.write(dir, "mismatch.crt", TestPki.pem(client.cert()));
        Path otherKey = TestPki.write(dir, "other.key", TestPki.pkcs8(TestPki.ec().getPrivate()));
        String m = buildFails(ModemTls.builder().trustPem(rootPem).identity(cert, otherKey)).getMessage();
        assertTrue(m.contains("does not belong to the certificate 'CN=device'"), m);
    }

    @Test
    void aPasswordProtectedKeyWithoutAPasswordIsExplained() throws Exception {
        TestPki.Issued client = TestPki.leaf("device", TestPki.ec(), root);
        Path cert = TestPki.write(dir, "enc.crt", TestPki.pem(client.cert()));
        Path key = TestPki.write(dir, "enc.key", TestPki.pkcs8Encrypted(client.key(), "pw".toCharArray()));
        String m = buildFails(ModemTls.builder().trustPem(rootPem).identity(cert, key)).getMessage();
        assertTrue(m.contains("is protected by a password, and none was given"), m);
        String wrong = buildFails(ModemTls.builder().trustPem(rootPem).identity(cert, key, "nope".toCharArray()))
                .getMessage();
        assertTrue(wrong.contains("wrong password"), wrong);
    }

    @Test
    void aKeyWhereACertificateWasExpectedIsExplained() throws Exception {
        Path p = TestPki.write(dir, "key-as-cert.pem", TestPki.pkcs8(TestPki.ec().getPrivate()));
        String m = buildFails(ModemTls.builder().trustPem(p)).getMessage();
        assertTrue(m.contains("holds a private key where a certificate was expected"), m);
    }

    @Test
    void secretsNeverAppearInPemMessages() throws Exception {
        TestPki.Issued client = TestPki.leaf("device", TestPki.ec(), root);
        Path cert = TestPki.write(dir, "s.crt", TestPki.pem(client.cert()));
        Path key = TestPki.write(dir, "s.key", TestPki.pkcs8Encrypted(client.key(), "pw".toCharArray()));
        String m = buildFails(ModemTls.builder().trustPem(rootPem).identity(cert, key, "hunter2".toCharArray()))
                .getMessage();
        assertFalse(m.contains("hunter2"), m);
    }
}
