package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemOptions;
import dev.atmodem.ModemState;
import dev.atmodem.link.TracingLink;
import dev.atmodem.spi.Bearer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NINA-W / ODIN-W2 driver end to end against the testkit's nina-w and odin-w2 dialects over in-memory links. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NinaDriverTest {

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
        return later(UbloxFixture.wifiSim(dialect, baud, 42));
    }

    /** Everything the host wrote, as text (commands before EDM are plain; frames show as bytes). */
    private static TracingLink recording(ModemSimulator sim, ByteArrayOutputStream toModem) {
        return new TracingLink(sim.connectPipe(), (dir, b, off, len) -> {
            if (dir == TracingLink.Direction.TO_MODEM) {
                synchronized (toModem) {
                    toModem.write(b, off, len);
                }
            }
        });
    }

    @Test
    void detectedAsNinaAndJoinsTheAccessPointWithoutLeakingThePassphrase() throws Exception {
        ModemSimulator sim = sim(UbloxFixture.NINA, 0);
        ByteArrayOutputStream toModem = new ByteArrayOutputStream();
        Modem modem = later(Modem.open(recording(sim, toModem), UbloxFixture.wifiOptions()));
        assertEquals("ublox", modem.driverName());
        assertTrue(modem.capabilities().model().startsWith("NINA-W1"), modem.capabilities().model());
        assertEquals(Bearer.WIFI, modem.capabilities().bearer());
        assertEquals(ModemState.READY, modem.state());
        String sent;
        synchronized (toModem) {
            sent = toModem.toString(StandardCharsets.ISO_8859_1);
        }
        for (String cmd : List.of("AT+UWSC=0,2,\"atmodem-sim\"", "AT+UWSC=0,5,2", "AT+UWSC=0,100,2",
                "AT+UWSCA=0,3", "ATO2")) {
            assertTrue(sent.contains(cmd), cmd + " not in: " + sent);
        }
        // After ATO2 commands travel in AT-request frames: the AT that checks EDM is AA 00 04 00 44 'A' 'T' 55.
        assertTrue(sent.contains("\u00aa\u0000\u0004\u0000\u0044AT\u0055"), "an AT request frame");
        // a command through the Modem still works, inside EDM
        assertTrue(modem.execute("AT+UNSTAT=0,101").texts().stream().anyMatch(l -> l.startsWith("+UNSTAT:0,101,")));
        assertEquals("", modem.info().imei(), "a Wi-Fi module has no IMEI");
        assertThrows(UnsupportedOperationException.class, modem::signal);
    }

    @Test
    void odinW2IsDetectedToo() throws Exception {
        Modem modem = later(UbloxFixture.openWifi(sim(UbloxFixture.ODIN, 0)));
        assertTrue(modem.capabilities().model().startsWith("ODIN-W2"), modem.capabilities().model());
        LoopbackPeer echo = later(LoopbackPeer.echo());
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            UbloxFixture.echo(s, 50_000, 4, Duration.ofMinutes(1));
        }
    }

    @Test
    void aWrongPassphraseOrSsidFailsClearlyWithoutHanging() {
        ModemSimulator sim = sim(UbloxFixture.NINA, 0);
        ModemException wrong = assertThrows(ModemException.class, () -> Modem.open(sim.connectPipe(),
                ModemOptions.wifi(UbloxFixture.SSID, "not-the-pass-phrase")));
        assertTrue(wrong.getMessage().contains("could not join") && wrong.getMessage().contains("passphrase"),
                wrong.getMessage());
        assertFalse(wrong.getMessage().contains("not-the-pass-phrase"), "the passphrase must not appear");
        System.out.println("NINA-W wrong passphrase: " + wrong.getMessage());
        ModemSimulator sim2 = sim(UbloxFixture.NINA, 0);
        ModemException ssid = assertThrows(ModemException.class, () -> Modem.open(sim2.connectPipe(),
                ModemOptions.wifi("no-such-ap", UbloxFixture.PASSPHRASE)));
        assertTrue(ssid.getMessage().contains("'no-such-ap'"), ssid.getMessage());
        System.out.println("NINA-W unknown SSID: " + ssid.getMessage());
    }

    @Test
    void anOpenNetworkIsJoinedWithoutAPassphrase() throws Exception {
        ModemSimulator sim = later(ModemSimulator.builder(UbloxFixture.NINA).accessPoint("open-ap", null).seed(9)
                .build());
        ByteArrayOutputStream toModem = new ByteArrayOutputStream();
        Modem modem = later(Modem.open(recording(sim, toModem), ModemOptions.wifi("open-ap", "")));
        String sent;
        synchronized (toModem) {
            sent = toModem.toString(StandardCharsets.ISO_8859_1);
        }
        assertTrue(sent.contains("AT+UWSC=0,5,1"), "authentication: open; sent " + sent);
        assertFalse(sent.contains("AT+UWSC=0,8,"), "no passphrase tag for an open network");
        LoopbackPeer echo = later(LoopbackPeer.echo());
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            UbloxFixture.echo(s, 10_000, 2, Duration.ofSeconds(30));
        }
    }

    @Test
    void cellularOptionsOnAWifiModuleAreRefusedClearly() {
        ModemSimulator sim = sim(UbloxFixture.NINA, 0);
        ModemException e = assertThrows(ModemException.class,
                () -> Modem.open(sim.connectPipe(), ModemOptions.cellular("internet")));
        assertTrue(e.getMessage().contains("ModemOptions.wifi"), e.getMessage());
    }

    @Test
    void ssidAndPassphraseAreCheckedAgainstCommandInjection() {
        assertThrows(IllegalArgumentException.class, () -> ModemOptions.wifi("evil\";AT+UFACTORY", "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModemOptions.wifi("ok", "secret\"\r\nAT+UFACTORY"));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void aRefusedConnectNamesTheHostAndFreesThePeer() throws Exception {
        Modem modem = later(UbloxFixture.openWifi(sim(UbloxFixture.NINA, 0)));
        int closedPort;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        java.io.IOException refused = assertThrows(java.io.IOException.class,
                () -> modem.socketFactory().createSocket("localhost", closedPort));
        assertTrue(refused.getMessage().contains("localhost:" + closedPort), refused.getMessage());
        System.out.println("NINA-W refused connect: " + refused.getMessage());
        LoopbackPeer echo = later(LoopbackPeer.echo());
        for (int i = 0; i < 7; i++) {
            later(modem.socketFactory().createSocket("localhost", echo.port()));
        }
    }

    @Test
    void remoteCloseDeliversEverythingThenEndOfStreamAndFreesThePeer() throws Exception {
        Modem modem = later(UbloxFixture.openWifi(sim(UbloxFixture.NINA, 0)));
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

    /**
     * The NINA-W pushes peer data in EDM frames whether or not the application reads, so the host must bound it: a
     * socket nobody reads fails with a clear error once its buffer holds 16 receive buffers, after delivering what it
     * had, and the modem's other sockets keep working.
     */
    @Test
    void pushedDataNobodyReadsIsBoundedAndFailsOnlyThatSocketClearly() throws Exception {
        int receiveBuffer = 4096;
        ModemSimulator sim = sim(UbloxFixture.NINA, 0);
        Modem modem = later(Modem.open(sim.connectPipe(), UbloxFixture.wifiOptions().withReceiveBuffer(receiveBuffer)));
        LoopbackPeer peer = later(LoopbackPeer.manual());
        Socket s = later(modem.socketFactory().createSocket("localhost", peer.port()));
        Socket server = later(peer.accept(Duration.ofSeconds(10)));
        byte[] flood = new byte[1 << 20];
        new java.util.Random(11).nextBytes(flood);
        // Nobody reads s while the whole mebibyte crosses the modem: the host keeps at most 16 x 4 KiB of it.
        long before = sim.stats().bytesToHost();
        server.getOutputStream().write(flood);
        server.getOutputStream().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sim.stats().bytesToHost() - before < flood.length) {
            assertTrue(System.nanoTime() < deadline, "the simulator did not push the flood to the host");
            Thread.sleep(20);
        }
        // Without the bound, reading now would return the whole mebibyte and then the end of the stream.
        s.setSoTimeout(30_000);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        ModemException failure = assertThrows(ModemException.class, () -> {
            int n;
            while ((n = s.getInputStream().read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
        });
        assertTrue(failure.getMessage().contains("did not read"), failure.getMessage());
        assertTrue(got.size() <= 16 * receiveBuffer, got.size() + " bytes were buffered");
        assertTrue(got.size() > 0);
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOf(flood, got.size()), got.toByteArray()),
                "the delivered bytes are the flood's first ones, in order");
        LoopbackPeer echo = later(LoopbackPeer.echo());
        try (Socket other = modem.socketFactory().createSocket("localhost", echo.port())) {
            UbloxFixture.echo(other, 10_000, 5, Duration.ofSeconds(30));
        }
    }
}
