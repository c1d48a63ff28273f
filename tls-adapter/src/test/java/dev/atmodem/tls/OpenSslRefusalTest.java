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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ModemTls refuses bad servers, each a real {@code openssl s_server} reached through the simulated BG96: an expired,
 * a not-yet-valid, a self-signed certificate, the wrong host name, a server that speaks only TLS 1.0 or 1.1, and one
 * that offers only weak suites. Each refusal is an SSLHandshakeException whose message says what was wrong, and no
 * application byte reaches the server.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OpenSslRefusalTest {

    @TempDir
    static Path dir;
    private static TlsFixture fx;
    private static TestPki.Issued root;
    private static Path rootPem;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(OpenSslServer.available(), "openssl is not installed (.ci/run installs it)");
        fx = new TlsFixture();
        root = TestPki.root("CN=Refusal Root", TestPki.rsa());
        rootPem = TestPki.write(dir, "root.pem", TestPki.pem(root.cert()));
    }

    @AfterAll
    static void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    /** Server options for a certificate (and its key) on {@code -cert}/{@code -key}, plus {@code extra}. */
    private static List<String> serving(TestPki.Issued leaf, String... extra) throws Exception {
        String name = "srv-" + System.nanoTime();
        List<String> o = new ArrayList<>(List.of(
                "-cert", TestPki.write(dir, name + ".crt", TestPki.pem(leaf.cert())).toString(),
                "-key", TestPki.write(dir, name + ".key", TestPki.pkcs8(leaf.key())).toString()));
        o.addAll(List.of(extra));
        return o;
    }

    /** Connects through the modem to {@code host}; returns the refusal's message after checking nothing got through. */
    private static String refused(OpenSslServer srv, String host) throws Exception {
        ModemTls tls = ModemTls.builder().trustPem(rootPem).build();
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> {
            try (Socket s = tls.socketFactory(fx.modem).createSocket(host, srv.port)) {
                s.getOutputStream().write("must never arrive\n".getBytes());
                s.getOutputStream().flush();
            }
        });
        Thread.sleep(200);
        assertFalse(srv.output.stream().anyMatch(l -> l.contains("must never arrive")), "data reached the server");
        System.out.println("refused: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void expiredCertificate() throws Exception {
        TestPki.Issued leaf = TestPki.leaf("tls.test", TestPki.rsa(), root, Instant.now().minus(Duration.ofDays(60)),
                Instant.now().minus(Duration.ofDays(2)), "tls.test");
        try (OpenSslServer srv = new OpenSslServer(serving(leaf))) {
            String m = refused(srv, "tls.test");
            assertTrue(m.contains("expired on"), m);
        }
    }

    @Test
    void notYetValidCertificate() throws Exception {
        TestPki.Issued leaf = TestPki.leaf("tls.test", TestPki.rsa(), root, Instant.now().plus(Duration.ofDays(400)),
                Instant.now().plus(Duration.ofDays(800)), "tls.test");
        try (OpenSslServer srv = new OpenSslServer(serving(leaf))) {
            String m = refused(srv, "tls.test");
            assertTrue(m.contains("not valid until"), m);
        }
    }

    @Test
    void selfSignedCertificate() throws Exception {
        TestPki.Issued self = TestPki.root("CN=tls.test", TestPki.rsa());
        try (OpenSslServer srv = new OpenSslServer(serving(self))) {
            String m = refused(srv, "tls.test");
            assertTrue(m.contains("CN=tls.test") && m.contains("you trust only 'CN=Refusal Root'"), m);
        }
    }

    @Test
    void wrongHostName() throws Exception {
        TestPki.Issued leaf = TestPki.leaf("tls.test", TestPki.rsa(), root, "tls.test");
        try (OpenSslServer srv = new OpenSslServer(serving(leaf))) {
            String m = refused(srv, "wrong.test");
            assertTrue(m.contains("host name 'wrong.test' is not in the server's certificate"), m);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1", "-tls1_1"})
    void oldProtocolOnlyServer(String protocol) throws Exception {
        TestPki.Issued leaf = TestPki.leaf("tls.test", TestPki.rsa(), root, "tls.test");
        try (OpenSslServer srv = new OpenSslServer(serving(leaf, protocol, "-cipher", "DEFAULT:@SECLEVEL=0"))) {
            String m = refused(srv, "tls.test");
            assertTrue(m.contains("no TLS version in common") && m.contains("TLS 1.1 and older are refused"), m);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NULL-SHA256", "NULL-SHA", "ECDHE-RSA-NULL-SHA", "AECDH-AES128-SHA", "ADH-AES256-GCM-SHA384",
        "RC4", "3DES", "EXP"})
    void weakSuitesOnlyServer(String suite) throws Exception {
        assumeTrue(OpenSslServer.offers(suite), "this openssl cannot offer " + suite + " any more");
        TestPki.Issued leaf = TestPki.leaf("tls.test", TestPki.rsa(), root, "tls.test");
        try (OpenSslServer srv = new OpenSslServer(serving(leaf, "-tls1_2", "-cipher", suite + ":@SECLEVEL=0"))) {
            String m = refused(srv, "tls.test");
            assertTrue(m.contains("accepted none of the cipher suites") && m.contains("handshake_failure"), m);
        }
    }

    @Test
    void theSameServerWithAGoodSetupIsAccepted() throws Exception {
        TestPki.Issued leaf = TestPki.leaf("tls.test", TestPki.rsa(), root, "tls.test");
        try (OpenSslServer srv = new OpenSslServer(serving(leaf, "-tls1_2"))) {
            ModemTls tls = ModemTls.builder().trustPem(rootPem).build();
            try (Socket s = tls.socketFactory(fx.modem).createSocket("tls.test", srv.port)) {
                s.getOutputStream().write("accepted\n".getBytes());
                s.getOutputStream().flush();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (srv.output.stream().noneMatch(l -> l.contains("accepted")) && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertTrue(srv.output.stream().anyMatch(l -> l.contains("accepted")), srv.output.toString());
            }
        } catch (IOException e) {
            throw new AssertionError("a good server was refused: " + e.getMessage(), e);
        }
    }
}
