package dev.atmodem.tls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ModemTls over the simulated BG96 against the JDK's own TLS server on 127.0.0.1. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ModemTlsTest {

    @TempDir
    Path dir;
    private TlsFixture fx;
    private TestPki.Issued rsaRoot;
    private TestPki.Issued ecRoot;

    @BeforeEach
    void setUp() throws Exception {
        fx = new TlsFixture();
        rsaRoot = TestPki.root("CN=Test RSA Root", TestPki.rsa());
        ecRoot = TestPki.root("CN=Test EC Root", TestPki.ec());
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ModemTls.Builder trusting(TestPki.Issued... roots) throws Exception {
        StringBuilder pem = new StringBuilder();
        for (TestPki.Issued r : roots) {
            pem.append(TestPki.pem(r.cert()));
        }
        return ModemTls.builder().trustPem(TestPki.write(dir, "roots.pem", pem.toString()));
    }

    @ParameterizedTest(name = "{0} with an {1} server certificate")
    @CsvSource({"TLSv1.3,RSA", "TLSv1.3,EC", "TLSv1.2,RSA", "TLSv1.2,EC"})
    void handshakeAndDataWithSniAndAlpnSeenByTheServer(String protocol, String keyType) throws Exception {
        TestPki.Issued root = keyType.equals("RSA") ? rsaRoot : ecRoot;
        TestPki.Issued server = TestPki.leaf("tls.test", keyType.equals("RSA") ? TestPki.rsa() : TestPki.ec(), root,
                "tls.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, protocol, null)) {
            ModemTls tls = trusting(root).alpn("mqtt", "http/1.1").build();
            try (SSLSocket s = (SSLSocket) tls.socketFactory(fx.modem).createSocket("tls.test", srv.port())) {
                TlsFixture.echoLine(s, "hello over " + protocol);
                assertEquals(protocol, s.getSession().getProtocol());
                assertEquals("mqtt", s.getApplicationProtocol());
                HandshakeCost cost = ((ModemSslSocket) s).handshakeCost();
                assertNotNull(cost);
                assertTrue(cost.bytesSent() > 100 && cost.bytesReceived() > 500, cost.toString());
                System.out.printf("handshake %s %s: %s%n", protocol, keyType, cost);
            }
            assertEquals(List.of("tls.test"), srv.sniSeen);
            assertEquals(List.of(List.of("mqtt", "http/1.1")), srv.alpnSeen);
        }
    }

    @Test
    void paholikeRouteCreateSocketThenConnect() throws Exception {
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.ec(), ecRoot, "tls.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.3", null)) {
            ModemTls tls = trusting(ecRoot).build();
            try (SSLSocket s = (SSLSocket) tls.socketFactory(fx.modem).createSocket()) {
                s.setSoTimeout(10_000);
                s.connect(new java.net.InetSocketAddress("tls.test", srv.port()), 10_000);
                s.startHandshake();
                TlsFixture.echoLine(s, "paho style");
            }
        }
    }

    @Test
    void layeredOverAModemSocketLikeOkHttp() throws Exception {
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.rsa(), rsaRoot, "tls.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.2", null)) {
            ModemTls tls = trusting(rsaRoot).build();
            Socket plain = fx.modem.socketFactory().createSocket("tls.test", srv.port());
            try (Socket s = tls.socketFactory(fx.modem).createSocket(plain, "tls.test", srv.port(), true)) {
                TlsFixture.echoLine(s, "layered");
            }
            assertTrue(plain.isClosed(), "autoClose closes the modem socket too");
        }
    }

    @Test
    void encryptedPlainFactoryGivesTlsSockets() throws Exception {
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.ec(), ecRoot, "tls.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.3", null)) {
            javax.net.SocketFactory f = trusting(ecRoot).build().encryptedSocketFactory(fx.modem);
            assertTrue(!(f instanceof javax.net.ssl.SSLSocketFactory), "Paho's tcp:// route refuses SSL factories");
            try (Socket s = f.createSocket("tls.test", srv.port())) {
                TlsFixture.echoLine(s, "pre-encrypted");
            }
        }
    }

    @Test
    void tls10And11AreRefused() throws Exception {
        ModemTls tls = trusting(rsaRoot).build();
        SSLSocket s = (SSLSocket) tls.socketFactory(fx.modem).createSocket();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.setEnabledProtocols(new String[] {"TLSv1", "TLSv1.1"}));
        assertTrue(e.getMessage().contains("only TLSv1.3 and TLSv1.2"), e.getMessage());
        s.close();
    }

    // ---- diagnostics ----

    @Test
    void wrongRootNamesBothSides() throws Exception {
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.rsa(), rsaRoot, "tls.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.3", null)) {
            ModemTls tls = trusting(ecRoot).build();
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> tls.socketFactory(fx.modem).createSocket("tls.test", srv.port()).getOutputStream().write(1));
            assertTrue(e.getMessage().contains("the server's chain ends at 'CN=Test RSA Root' but you trust only"
                    + " 'CN=Test EC Root'"), e.getMessage());
        }
    }

    @Test
    void expiredCertificateSaysWhenAndByWhichClock() throws Exception {
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.ec(), ecRoot, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), "tls.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.3", null)) {
            ModemTls tls = trusting(ecRoot).build();
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> tls.socketFactory(fx.modem).createSocket("tls.test", srv.port()).getOutputStream().write(1));
            assertTrue(e.getMessage().contains("the server's certificate expired on")
                    && e.getMessage().contains("host clock"), e.getMessage());
        }
    }

    @Test
    void notYetValidByAWrongHostClockThenPassingWithTheModemClock() throws Exception {
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.ec(), ecRoot, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(30)), "tls.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.3", null)) {
            // a plausible but wrong host clock (half a year behind): used, and the message shows the modem's time
            Clock behind = Clock.fixed(Instant.now().minus(Duration.ofDays(180)), ZoneOffset.UTC);
            ModemTls wrong = trusting(ecRoot).hostClock(behind).build();
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> wrong.socketFactory(fx.modem).createSocket("tls.test", srv.port()).getOutputStream()
                            .write(1));
            assertTrue(e.getMessage().contains("is not valid until") && e.getMessage().contains("(host clock; the"
                    + " modem's network time is"), e.getMessage());
            // told to use the modem's time, the same clock passes
            try (Socket s = trusting(ecRoot).hostClock(behind).useModemTime().build().socketFactory(fx.modem)
                    .createSocket("tls.test", srv.port())) {
                TlsFixture.echoLine(s, "modem time");
            }
            // a host clock that is clearly unset (1970) switches to the modem's time by itself
            Clock unset = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
            try (Socket s = trusting(ecRoot).hostClock(unset).build().socketFactory(fx.modem)
                    .createSocket("tls.test", srv.port())) {
                TlsFixture.echoLine(s, "automatic modem time");
            }
        }
    }

    @Test
    void wrongHostNameListsTheNamesTheCertificateHolds() throws Exception {
        TestPki.Issued server = TestPki.leaf("other", TestPki.ec(), ecRoot, "*.other.test", "other.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.3", null)) {
            ModemTls tls = trusting(ecRoot).build();
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> tls.socketFactory(fx.modem).createSocket("wrong.test", srv.port()).getOutputStream()
                            .write(1));
            assertTrue(e.getMessage().contains("host name 'wrong.test' is not in the server's certificate (it names:"
                    + " *.other.test, other.test)"), e.getMessage());
            // opting out needs a method that says it is insecure
            try (Socket s = trusting(ecRoot).insecureSkipHostnameVerification().build().socketFactory(fx.modem)
                    .createSocket("wrong.test", srv.port())) {
                TlsFixture.echoLine(s, "insecure");
            }
        }
    }

    @Test
    void checkReportsProtocolCipherChainAndCost() throws Exception {
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.ec(), ecRoot, "tls.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.3", null)) {
            TlsReport ok = trusting(ecRoot).build().check(fx.modem, "tls.test", srv.port());
            assertTrue(ok.ok(), ok.toString());
            assertEquals("TLSv1.3", ok.protocol());
            assertTrue(ok.chain().get(0).startsWith("CN=tls.test"), ok.chain().toString());
            assertTrue(ok.cost().roundTrips() >= 1, ok.toString());
            TlsReport bad = trusting(rsaRoot).build().check(fx.modem, "tls.test", srv.port());
            assertTrue(!bad.ok() && bad.problem().contains("you trust only"), bad.toString());
            System.out.println(ok);
        }
    }

    @Test
    void tls12ResumptionCostsLessTheSecondTime() throws Exception {
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.rsa(), rsaRoot, "tls.test");
        try (JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.2", null)) {
            ModemTls tls = trusting(rsaRoot).preferTls12Resumption().build();
            HandshakeCost first;
            HandshakeCost second;
            try (ModemSslSocket s = (ModemSslSocket) tls.socketFactory(fx.modem).createSocket("tls.test", srv.port())) {
                TlsFixture.echoLine(s, "first");
                first = s.handshakeCost();
            }
            try (ModemSslSocket s = (ModemSslSocket) tls.socketFactory(fx.modem).createSocket("tls.test", srv.port())) {
                TlsFixture.echoLine(s, "second");
                second = s.handshakeCost();
            }
            System.out.println("TLS 1.2 full handshake:    " + first);
            System.out.println("TLS 1.2 resumed handshake: " + second);
            assertTrue(second.resumed(), second.toString());
            assertTrue(second.bytesReceived() < first.bytesReceived() && second.bytesSent() <= first.bytesSent(),
                    first + " vs " + second);
            assertTrue(second.roundTrips() < first.roundTrips(), first + " vs " + second);
        }
    }

    @Test
    void pemFilesWithCarriageReturnOnlyLineEndsAreRead() throws Exception {
        String crOnly = TestPki.pem(ecRoot.cert()).replace("\r\n", "\n").replace('\n', '\r');
        Path p = dir.resolve("cr.pem");
        Files.writeString(p, crOnly);
        assertNotNull(ModemTls.builder().trustPem(p).build());
    }
}
