package dev.atmodem.driver.bg96;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
