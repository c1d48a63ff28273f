package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemOptions;
import dev.atmodem.ModemState;
import dev.atmodem.link.TracingLink;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SARA-R4/R5 driver end to end against the testkit's sara-r4 and sara-r5 dialects over in-memory links. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SaraDriverTest {

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

    private ModemSimulator sim(String dialect, int baud) {
        return later(UbloxFixture.sim(dialect, baud, 42));
    }

    @Test
    void r4BringsUpFromPowerOnWithEchoOnAndASimPin() throws Exception {
        ModemSimulator sim = sim(UbloxFixture.R4, 0);
        Modem modem = later(UbloxFixture.open(sim));
        assertEquals("ublox", modem.driverName());
        assertTrue(modem.capabilities().model().startsWith("SARA-R4"), modem.capabilities().model());
        assertEquals(7, modem.capabilities().maxSockets());
        assertEquals(ModemState.READY, modem.state());
        assertTrue(sim.stats().commandCount("AT+CPIN") >= 2, "PIN state asked and PIN entered");
        assertTrue(modem.execute("AT+CGACT?").texts().stream().anyMatch(l -> l.replace(" ", "").equals("+CGACT:1,1")),
                "context 1 active");
        assertTrue(modem.signal().dbm() != null);
        assertTrue(modem.registration().isRegistered());
        assertEquals(0, sim.stats().commandCount("AT+UPSDA"), "SARA-R4 needs no PSD profile");
    }

    @Test
    void r5BringsUpWithAPsdProfileAndItsUupsdaResult() throws Exception {
        ModemSimulator sim = sim(UbloxFixture.R5, 0);
        Modem modem = later(UbloxFixture.open(sim));
        assertTrue(modem.capabilities().model().startsWith("SARA-R5"), modem.capabilities().model());
        assertEquals(ModemState.READY, modem.state());
        assertTrue(sim.stats().commandCount("AT+CPIN") >= 2, "PIN state asked and PIN entered");
        assertTrue(sim.stats().commandCount("AT+UPSDA") >= 1, "profile activated");
        LoopbackPeer echo = later(LoopbackPeer.echo());
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            UbloxFixture.echo(s, 50_000, 4, Duration.ofMinutes(1));
        }
    }

    /** SARA-R4 takes the APN password before the user name, SARA-R5 the user name first (AT-REFERENCE §3A). */
    @Test
    void apnCredentialsGoInEachFamilysOrderAndNeverIntoTheLog() throws Exception {
        for (String dialect : List.of(UbloxFixture.R4, UbloxFixture.R5)) {
            ModemSimulator sim = sim(dialect, 0);
            ByteArrayOutputStream toModem = new ByteArrayOutputStream();
            TracingLink link = new TracingLink(sim.connectPipe(), (dir, b, off, len) -> {
                if (dir == TracingLink.Direction.TO_MODEM) {
                    synchronized (toModem) {
                        toModem.write(b, off, len);
                    }
                }
            });
            later(Modem.open(link, UbloxFixture.options()
                    .withApnCredentials("user1", "pw-secret", ModemOptions.Auth.PAP)));
            String sent;
            synchronized (toModem) {
                sent = toModem.toString(StandardCharsets.ISO_8859_1);
            }
            String expected = dialect.equals(UbloxFixture.R4) ? "AT+UAUTHREQ=1,1,\"pw-secret\",\"user1\""
                    : "AT+UAUTHREQ=1,1,\"user1\",\"pw-secret\"";
            assertTrue(sent.contains(expected), dialect + " sent: " + sent);
        }
    }

    @Test
    void connectFailuresAndDnsErrorsNameTheHost() throws Exception {
        Modem modem = later(UbloxFixture.open(sim(UbloxFixture.R4, 0)));
        int closedPort;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        ModemException refused = assertThrows(ModemException.class,
                () -> modem.socketFactory().createSocket("localhost", closedPort));
        assertTrue(refused.getMessage().contains("localhost:" + closedPort)
                && refused.getMessage().contains("failed on the modem"), refused.getMessage());
        System.out.println("SARA-R4 refused connect: " + refused.getMessage());
        ModemException dns = assertThrows(ModemException.class, () -> modem.resolve("no-such-host.test"));
        assertTrue(dns.getMessage().contains("no-such-host.test"), dns.getMessage());
        ModemException dnsConnect = assertThrows(ModemException.class,
                () -> modem.socketFactory().createSocket("no-such-host.test", 80));
        assertTrue(dnsConnect.getMessage().contains("DNS lookup of 'no-such-host.test'"), dnsConnect.getMessage());
        assertEquals("127.0.0.1", modem.resolve("broker.test").get(0).getHostAddress());
        // the failed connects freed their sockets: seven fit again
        LoopbackPeer echo = later(LoopbackPeer.echo());
        for (int i = 0; i < 7; i++) {
            later(modem.socketFactory().createSocket("broker.test", echo.port()));
        }
    }

    @Test
    void networkTimeComesFromTheModem() throws Exception {
        for (String dialect : List.of(UbloxFixture.R4, UbloxFixture.R5)) {
            Modem modem = later(UbloxFixture.open(sim(dialect, 0)));
            Instant t = modem.networkTime().orElseThrow();
            assertTrue(Math.abs(Duration.between(Instant.now(), t).toMinutes()) < 5, dialect + " network time " + t);
        }
    }

    @Test
    void remoteCloseDeliversEverythingThenEndOfStreamAndFreesTheId() throws Exception {
        ModemSimulator sim = sim(UbloxFixture.R4, 0);
        Modem modem = later(UbloxFixture.open(sim));
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
        LoopbackPeer echo = later(LoopbackPeer.echo());
        for (int i = 0; i < 7; i++) {
            later(modem.socketFactory().createSocket("localhost", echo.port()));
        }
    }

    /** SARA-R410M-01B has no async connect (AT-REFERENCE §3B): the driver falls back to the sync form by itself. */
    @Test
    void anR410m01bWithoutAsyncConnectIsDrivenWithSyncConnects() throws Exception {
        ModemSimulator sim = sim("sara-r410m-01b", 0);
        Modem modem = later(UbloxFixture.open(sim));
        LoopbackPeer echo = later(LoopbackPeer.echo());
        for (int i = 0; i < 2; i++) {
            try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                UbloxFixture.echo(s, 20_000, i, Duration.ofSeconds(30));
            }
        }
        assertEquals(3, sim.stats().commandCount("AT+USOCO"), "one refused async connect, then two sync ones");
    }

    @Test
    void aMissedDataUrcIsFoundByPolling() throws Exception {
        ModemSimulator sim = sim(UbloxFixture.R4, 0);
        Modem modem = later(UbloxFixture.open(sim));
        LoopbackPeer echo = later(LoopbackPeer.echo());
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            sim.faults().dropNextUrc("\\+UUSORD: .*");
            s.setSoTimeout(10_000);
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ping", new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
        }
    }
}
