package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.ModemState;
import dev.atmodem.link.TracingLink;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.ublox.SaraDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver option {@code ublox.write=hex|auto}: HEX mode ({@code AT+UDCONF=1,1}), inline hex writes of at most 512
 * bytes and hex-encoded reads, against the sara-r4 and sara-r5 dialects over real byte streams.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SaraHexModeTest {

    private static final Pattern HEX_WRITE = Pattern.compile("AT\\+USOWR=\\d+,(\\d+),\"([0-9A-F]*)\"\r");

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

    private static ModemOptions hex() {
        return UbloxFixture.options().withDriverOption("ublox.write", "hex");
    }

    /** What the host sent to the modem, as text. */
    private static final class Sent {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        TracingLink wrap(ModemSimulator sim) {
            return new TracingLink(sim.connectPipe(), (dir, b, off, len) -> {
                if (dir == TracingLink.Direction.TO_MODEM) {
                    synchronized (bytes) {
                        bytes.write(b, off, len);
                    }
                }
            });
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static void assertHexMode(Modem modem) throws IOException {
        assertTrue(modem.execute("AT+UDCONF=1").texts().stream().anyMatch(l -> l.replace(" ", "").equals("+UDCONF:1,1")),
                "the modem is in HEX mode");
    }

    /**
     * 256 KiB (1 MiB under {@code -Psoak}, at 115200 baud) both ways in HEX mode, paced at 921600 baud with fragmented
     * answers: every write is the inline hex form
     * with at most 512 bytes (2 digits per byte, no {@code @} prompt), every read is decoded.
     */
    private void oneMebibyteEchoes(String dialect) throws Exception {
        boolean soak = Boolean.getBoolean("atmodem.soak");
        int baud = soak ? 115_200 : 921_600;
        int size = soak ? 1 << 20 : 1 << 18;
        ModemSimulator sim = later(UbloxFixture.sim(dialect, baud, 11));
        Sent sent = new Sent();
        Modem modem = later(Modem.open(sent.wrap(sim), hex()));
        assertHexMode(modem);
        LoopbackPeer echo = later(LoopbackPeer.echo());
        long t0 = System.nanoTime();
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            UbloxFixture.echo(s, size, 5, Duration.ofMinutes(soak ? 8 : 2));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s hex %d KiB echo at %d baud: %.1f s, %.0f payload B/s each way (line limit %d)%n",
                dialect, size / 1024, baud, seconds, size / seconds, baud / 10);
        String text = sent.text();
        Matcher m = HEX_WRITE.matcher(text);
        long bytes = 0;
        int writes = 0;
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            assertTrue(n >= 1 && n <= 512, "chunk of " + n);
            assertEquals(2 * n, m.group(2).length(), "2 hex digits per byte");
            bytes += n;
            writes++;
        }
        assertEquals(size, bytes, "every byte went out as hex");
        assertTrue(writes >= size / 512, writes + " writes");
        assertFalse(Pattern.compile("AT\\+USOWR=\\d+,\\d+\r").matcher(text).find(), "no binary write");
        assertTrue(sim.stats().commandCount("AT+USORD") > 0);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void r4EchoesByteExactInHexMode() throws Exception {
        oneMebibyteEchoes(UbloxFixture.R4);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void r5EchoesByteExactInHexMode() throws Exception {
        oneMebibyteEchoes(UbloxFixture.R5);
    }

    /** The module takes fewer bytes than offered (§3B segmentation): the rest is sent again, nothing lost or doubled. */
    @Test
    void shortWritesInHexModeSendTheRest() throws Exception {
        ModemSimulator sim = later(UbloxFixture.sim(UbloxFixture.R4, 921_600, 12));
        sim.control(SaraDialect.class, d -> d.shortWrites(100));
        Sent sent = new Sent();
        Modem modem = later(Modem.open(sent.wrap(sim), hex()));
        LoopbackPeer echo = later(LoopbackPeer.echo());
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            UbloxFixture.echo(s, 20_000, 8, Duration.ofMinutes(1));
        }
        Matcher m = HEX_WRITE.matcher(sent.text());
        long offered = 0;
        while (m.find()) {
            offered += Integer.parseInt(m.group(1));
        }
        // every command but the last offers more than the 100 the module takes, so bytes go out again
        assertTrue(offered > 20_000 * 2, "offered " + offered);
        assertEquals(20_000, sim.stats().sockets().values().stream().mapToLong(b -> b.sent()).sum(),
                "the peer got each byte once");
        assertEquals(ModemState.READY, modem.state());
    }

    /** A restart forgets HEX mode: recovery sets it again, and data flows in hex afterwards. */
    @Test
    void aRestartReappliesHexMode() throws Exception {
        ModemSimulator sim = later(UbloxFixture.sim(UbloxFixture.R4, 0, 13));
        Modem modem = later(Modem.open(sim.connectPipe(), hex()));
        List<String> states = new CopyOnWriteArrayList<>();
        modem.addListener((from, to, why) -> states.add(from + "->" + to));
        LoopbackPeer echo = later(LoopbackPeer.echo());
        Socket s = later(modem.socketFactory().createSocket("localhost", echo.port()));
        CompletableFuture<IOException> reader = CompletableFuture.supplyAsync(() -> {
            try {
                int v = s.getInputStream().read();
                throw new AssertionError("read returned " + v + " instead of failing");
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(100);
        long before = sim.stats().commandCount("AT+UDCONF");
        sim.faults().reboot();
        IOException e = reader.get(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("restarted"), e.getMessage());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!states.contains("RECOVERING->READY") && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(states.contains("RECOVERING->READY"), states.toString());
        assertTrue(sim.stats().commandCount("AT+UDCONF") > before, "AT+UDCONF=1,1 sent again after the restart");
        assertHexMode(modem);
        try (Socket again = modem.socketFactory().createSocket("localhost", echo.port())) {
            UbloxFixture.echo(again, 20_000, 14, Duration.ofSeconds(30));
        }
    }

    @Test
    void anUnknownWriteModeIsRefusedInPlainWords() {
        ModemSimulator sim = later(UbloxFixture.sim(UbloxFixture.R4, 0, 15));
        Exception e = assertThrows(Exception.class, () -> later(Modem.open(sim.connectPipe(),
                UbloxFixture.options().withDriverOption("ublox.write", "fast"))));
        String all = e + " " + e.getCause();
        assertTrue(all.contains("ublox.write must be 'binary', 'hex' or 'auto', not 'fast'"), all);
    }

    /**
     * {@code auto} decides from the line's rate: binary at 115200, hex at 921600 (SaraWriteMode's rule). The link
     * knows its rate (the simulator declares it), so the options' baud, left at its 115200 default here, is not asked.
     */
    @Test
    void autoPicksBinaryAt115200AndHexAt921600() throws Exception {
        for (int baud : new int[] {115_200, 921_600}) {
            ModemSimulator sim = later(UbloxFixture.sim(UbloxFixture.R5, baud, 16));
            Sent sent = new Sent();
            Modem modem = later(Modem.open(sent.wrap(sim), UbloxFixture.options()
                    .withDriverOption("ublox.write", "auto")));
            LoopbackPeer echo = later(LoopbackPeer.echo());
            try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                UbloxFixture.echo(s, 4_000, baud, Duration.ofSeconds(30));
            }
            boolean hexWrites = HEX_WRITE.matcher(sent.text()).find();
            boolean binaryWrites = Pattern.compile("AT\\+USOWR=\\d+,\\d+\r").matcher(sent.text()).find();
            if (baud == 115_200) {
                assertTrue(binaryWrites && !hexWrites, "binary at 115200");
                assertFalse(sent.text().contains("AT+UDCONF=1,1"));
            } else {
                assertTrue(hexWrites && !binaryWrites, "hex at 921600");
                assertTrue(sent.text().contains("AT+UDCONF=1,1"));
            }
        }
    }

    /** The rule itself: the estimated ratios the README quotes and the crossover between 115200 and 230400. */
    @Test
    void theAutoRuleFollowsTheEstimatedRatios() {
        Duration pause = Duration.ofMillis(50);
        assertEquals(0.62, SaraWriteMode.binaryRatio(115_200, pause), 0.01);
        assertEquals(0.18, SaraWriteMode.binaryRatio(921_600, pause), 0.01);
        assertEquals(0.48, SaraWriteMode.hexRatio(), 0.01);
        assertEquals(SaraWriteMode.BINARY, SaraWriteMode.parse("auto", 115_200, pause));
        assertEquals(SaraWriteMode.HEX, SaraWriteMode.parse("auto", 230_400, pause));
        assertEquals(SaraWriteMode.HEX, SaraWriteMode.parse("auto", 921_600, pause));
        // without the pause binary always wins (half the characters per byte)
        assertEquals(SaraWriteMode.BINARY, SaraWriteMode.parse("auto", 921_600, Duration.ZERO));
        assertEquals(SaraWriteMode.HEX, SaraWriteMode.parse("HEX", 115_200, pause));
        assertEquals(SaraWriteMode.BINARY, SaraWriteMode.parse("binary", 921_600, pause));
    }
}
