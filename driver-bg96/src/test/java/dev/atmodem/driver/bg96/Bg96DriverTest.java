package dev.atmodem.driver.bg96;

import com.sun.net.httpserver.HttpServer;
import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemOptions;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BG96 driver end to end against the testkit's BG96 simulator over in-memory links. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Bg96DriverTest {

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    private <T extends AutoCloseable> T later(T c) {
        closeLater.add(0, c);
        return c;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    private ModemSimulator sim(int baud) {
        return later(ModemSimulator.builder("bg96").baud(baud).pin("1234").fragmentation(1, 64).seed(42).build());
    }

    @Test
    void bringsUpFromPowerOnWithEchoOnAndASimPin() throws Exception {
        ModemSimulator sim = sim(0);
        Modem modem = later(Bg96Fixture.open(sim));
        assertEquals("bg96", modem.driverName());
        assertEquals("BG96", modem.capabilities().model());
        assertEquals(ModemState.READY, modem.state());
        assertTrue(sim.stats().commandCount("AT+CPIN") >= 2, "PIN state asked and PIN entered");
        assertTrue(modem.execute("AT+QIACT?").value("+QIACT:").startsWith("1,1,1,\""), "context 1 active");
        assertTrue(modem.signal().dbm() != null);
        assertTrue(modem.registration().isRegistered());
        assertEquals("866425030000001", modem.info().imei());
    }

    @Test
    void aLockedSimWithoutPinAndAWrongPinFailClearly() {
        ModemSimulator sim = sim(0);
        ModemException none = assertThrows(ModemException.class,
                () -> Modem.open(sim.connectPipe(), ModemOptions.cellular("internet")));
        assertTrue(none.getMessage().contains("withPin"), none.getMessage());
        ModemSimulator sim2 = sim(0);
        ModemException wrong = assertThrows(ModemException.class,
                () -> Modem.open(sim2.connectPipe(), ModemOptions.cellular("internet").withPin("9999")));
        assertTrue(wrong.getMessage().contains("refused the PIN"), wrong.getMessage());
        assertTrue(!wrong.getMessage().contains("9999"), "the PIN must not appear in messages");
    }

    @Test
    void httpGetThroughTheSocketFactoryReturnsTheBody() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = "hello from the other side of a BG96\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        http.createContext("/hello", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        http.start();
        later(() -> http.stop(0));
        Modem modem = later(Bg96Fixture.open(sim(0)));
        try (Socket s = modem.socketFactory().createSocket("localhost", http.getAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertEquals(new String(body, StandardCharsets.UTF_8),
                    response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }

    /**
     * 1 MiB both ways at 115200 baud takes over two minutes (the line moves 11,520 B/s), so the normal suite paces at
     * 921600 baud and the soak run ({@code -Psoak}) at 115200.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void oneMebibyteEchoesByteExactWithPacingAndFragmentation() throws Exception {
        int baud = Boolean.getBoolean("atmodem.soak") ? 115_200 : 921_600;
        ModemSimulator sim = sim(baud);
        Modem modem = later(Bg96Fixture.open(sim));
        LoopbackPeer echo = later(LoopbackPeer.echo());
        long t0 = System.nanoTime();
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            Bg96Fixture.echo(s, 1 << 20, 1, Duration.ofMinutes(4));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("BG96 1 MiB echo at %d baud: %.1f s, %.0f payload B/s each way (line limit %d)%n",
                baud, seconds, (1 << 20) / seconds, baud / 10);
    }

    @Test
    void twelveSocketsAtOnceAndAThirteenthIsRefused() throws Exception {
        Modem modem = later(Bg96Fixture.open(sim(0)));
        LoopbackPeer echo = later(LoopbackPeer.echo());
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sockets.add(later(modem.socketFactory().createSocket("localhost", echo.port())));
        }
        ModemException e = assertThrows(ModemException.class,
                () -> modem.socketFactory().createSocket("localhost", echo.port()));
        assertTrue(e.getMessage().contains("all 12 sockets"), e.getMessage());
        CompletableFuture<?>[] runs = new CompletableFuture<?>[12];
        for (int i = 0; i < 12; i++) {
            Socket s = sockets.get(i);
            long seed = i;
            runs[i] = CompletableFuture.runAsync(() -> {
                try {
                    Bg96Fixture.echo(s, 64 * 1024, seed, Duration.ofMinutes(2));
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            });
        }
        CompletableFuture.allOf(runs).get(3, TimeUnit.MINUTES);
    }

    @Test
    void connectFailuresAndDnsErrorsNameTheHostAndTheQuectelCode() throws Exception {
        Modem modem = later(Bg96Fixture.open(sim(0)));
        int closedPort;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        ModemException refused = assertThrows(ModemException.class,
                () -> modem.socketFactory().createSocket("localhost", closedPort));
        assertTrue(refused.getMessage().contains("localhost:" + closedPort)
                && refused.getMessage().contains("Quectel 566"), refused.getMessage());
        ModemException dns = assertThrows(ModemException.class, () -> modem.resolve("no-such-host.test"));
        assertTrue(dns.getMessage().contains("no-such-host.test") && dns.getMessage().contains("Quectel 565"),
                dns.getMessage());
        assertEquals("127.0.0.1", modem.resolve("broker.test").get(0).getHostAddress());
    }

    @Test
    void networkTimeComesFromTheModem() throws Exception {
        Modem modem = later(Bg96Fixture.open(sim(0)));
        Instant t = modem.networkTime().orElseThrow();
        assertTrue(Math.abs(Duration.between(Instant.now(), t).toMinutes()) < 5, "network time " + t);
    }

    @Test
    void directPushModeDeliversDataInsideTheUrcs() throws Exception {
        ModemSimulator sim = sim(0);
        Modem modem = later(Modem.open(sim.connectPipe(),
                Bg96Fixture.options().withDriverOption("bg96.accessMode", "push")));
        LoopbackPeer echo = later(LoopbackPeer.echo());
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            Bg96Fixture.echo(s, 100_000, 9, Duration.ofMinutes(1));
        }
        assertEquals(0, sim.stats().commandCount("AT+QIRD"), "push mode never reads with AT+QIRD");
    }

    @Test
    void remoteCloseDeliversEverythingThenEndOfStreamAndFreesTheId() throws Exception {
        ModemSimulator sim = sim(0);
        Modem modem = later(Bg96Fixture.open(sim));
        LoopbackPeer peer = later(LoopbackPeer.manual());
        byte[] greeting = new byte[30_000];
        new java.util.Random(3).nextBytes(greeting);
        Socket s = later(modem.socketFactory().createSocket("localhost", peer.port()));
        try (Socket server = peer.accept(Duration.ofSeconds(10))) {
            server.getOutputStream().write(greeting);
        }
        s.setSoTimeout(20_000);
        assertTrue(java.util.Arrays.equals(greeting, s.getInputStream().readNBytes(greeting.length)));
        assertEquals(-1, s.getInputStream().read());
        s.close();
        // the id was released with AT+QICLOSE: twelve new sockets fit again
        LoopbackPeer echo = later(LoopbackPeer.echo());
        for (int i = 0; i < 12; i++) {
            later(modem.socketFactory().createSocket("localhost", echo.port()));
        }
    }
}
