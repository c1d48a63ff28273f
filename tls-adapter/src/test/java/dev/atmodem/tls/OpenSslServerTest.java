package dev.atmodem.tls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ModemTls against OpenSSL's {@code s_server}: a real, independent TLS implementation. The server's own trace shows
 * the SNI name and the ALPN list it received.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OpenSslServerTest {

    @TempDir
    Path dir;
    private TlsFixture fx;
    private Process server;
    private final List<String> out = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        fx = new TlsFixture();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        fx.close();
    }

    private static boolean openSslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitOutput(String text) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (out.stream().noneMatch(l -> l.contains(text)) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(out.stream().anyMatch(l -> l.contains(text)), "s_server never printed '" + text + "': " + out);
    }

    @ParameterizedTest(name = "{0} with an {1} certificate")
    @CsvSource({"TLSv1.3,EC", "TLSv1.3,RSA", "TLSv1.2,EC", "TLSv1.2,RSA"})
    void handshakeAndDataAgainstOpenSsl(String protocol, String keyType) throws Exception {
        assumeTrue(openSslAvailable(), "openssl is not installed (.ci/run installs it)");
        TestPki.Issued root = TestPki.root("CN=OpenSSL Test Root", keyType.equals("RSA") ? TestPki.rsa() : TestPki.ec());
        TestPki.Issued leaf = TestPki.leaf("tls.test", keyType.equals("RSA") ? TestPki.rsa() : TestPki.ec(), root,
                "tls.test");
        Path cert = TestPki.write(dir, "server.crt", TestPki.pem(leaf.cert()));
        Path key = TestPki.write(dir, "server.key", TestPki.pkcs8(leaf.key()));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", cert.toString(),
                "-key", key.toString(), protocol.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2", "-alpn", "mqtt", "-trace")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(line);
                }
            } catch (IOException e) {
                out.add("(output ended: " + e.getMessage() + ")");
            }
        }, "s_server-output");
        reader.setDaemon(true);
        reader.start();
        awaitOutput("ACCEPT");

        ModemTls tls = ModemTls.builder().trustPem(TestPki.write(dir, "root.pem", TestPki.pem(root.cert())))
                .alpn("mqtt", "http/1.1").build();
        try (SSLSocket s = (SSLSocket) tls.socketFactory(fx.modem).createSocket("tls.test", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("ping from atmodem\n".getBytes(StandardCharsets.US_ASCII));
            awaitOutput("ping from atmodem");
            OutputStream toServer = server.getOutputStream();
            toServer.write("pong from openssl\n".getBytes(StandardCharsets.US_ASCII));
            toServer.flush();
            assertEquals("pong from openssl\n", new String(s.getInputStream().readNBytes(18),
                    StandardCharsets.US_ASCII));
            assertEquals(protocol, s.getSession().getProtocol());
            assertEquals("mqtt", s.getApplicationProtocol(), "the server chose from our ALPN offer");
        }
        awaitOutput("extension_type=server_name(0)");
        awaitOutput(".tls.test"); // the SNI bytes, as -trace dumps them
        awaitOutput("ALPN protocols advertised by the client: mqtt, http/1.1");
    }
}
