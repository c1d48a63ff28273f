package dev.atmodem.testkit.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.link.SerialLink;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TranscriptTest {

    private static final String DIR = "/dev/atmodem/testkit/transcripts/";

    /** Plays the host side of a transcript into a fresh BG96 simulator and checks every modem byte. */
    static void conform(Transcript t) throws IOException {
        try (ModemSimulator sim = ModemSimulator.builder("bg96").build();
             RawHost host = new RawHost(sim.connectPipe())) {
            for (Transcript.Event e : t.events()) {
                if (e.direction() == Transcript.Direction.HOST_TO_MODEM) {
                    host.send(e.bytes());
                } else {
                    host.expect(e.bytes());
                }
            }
            assertArrayEquals(new byte[0], host.pending(), "the simulator sent more than the transcript has");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bg96-bringup.txt", "bg96-tcp-echo.txt", "bg96-errors.txt"})
    void shippedTranscriptsMatchTheSimulator(String name) throws Exception {
        try (LoopbackPeer echo = LoopbackPeer.echo()) {
            Transcript t = Transcript.resource(DIR + name, Map.of("PORT", Integer.toString(echo.port())));
            assertTrue(t.events().size() > 5);
            conform(t);
        }
    }

    @Test
    void formatRoundTripsEveryByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        Transcript t = new Transcript(java.util.List.of(
                new Transcript.Event(Transcript.Direction.HOST_TO_MODEM, all, 0),
                new Transcript.Event(Transcript.Direction.MODEM_TO_HOST, "\r\n> ".getBytes(StandardCharsets.US_ASCII),
                        120)));
        String text = t.format();
        assertTrue(text.contains("@+120ms\n< \\r\\n>\\x20\n"), text);
        Transcript back = Transcript.parse(text);
        assertArrayEquals(all, back.events().get(0).bytes());
        assertEquals(120, back.events().get(1).delayMillis());
    }

    @Test
    void parserReportsTheLineOfAMistake() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transcript.parse("# ok\n> AT\\r\n< \\q\n"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Transcript.parse("AT\n"));
        assertThrows(IllegalArgumentException.class, () -> Transcript.parse("> ${MISSING}\n"));
    }

    @Test
    void replayLinkPlaysTheModemSideForAHostThatFollows() throws Exception {
        Transcript t = Transcript.resource(DIR + "bg96-bringup.txt", Map.of());
        try (ReplayLink link = ReplayLink.of(t); RawHost host = new RawHost(link)) {
            for (Transcript.Event e : t.events()) {
                if (e.direction() == Transcript.Direction.HOST_TO_MODEM) {
                    host.send(e.bytes());
                } else {
                    host.expect(e.bytes());
                }
            }
            awaitComplete(link);
            link.verify();
        }
    }

    @Test
    void replayLinkFailsOnDivergence() throws Exception {
        Transcript t = Transcript.parse("< \\r\\nRDY\\r\\n\n> AT\\r\n< AT\\r\\r\\nOK\\r\\n\n");
        ReplayLink link = ReplayLink.of(t);
        RawHost host = new RawHost(link);
        host.expect("\r\nRDY\r\n");
        host.send("ATI\r");
        // the replay cuts the link: the host's reader ends instead of waiting forever
        AssertionError noAnswer = assertThrows(AssertionError.class, () -> host.expect("AT\r\r\nOK\r\n"));
        assertNotNull(noAnswer.getMessage());
        assertNotNull(link.divergence());
        assertTrue(link.divergence().contains("first difference at byte 2"), link.divergence());
        AssertionError failed = assertThrows(AssertionError.class, link::verify);
        assertTrue(failed.getMessage().contains("diverged"), failed.getMessage());
        assertThrows(AssertionError.class, link::close);
    }

    @Test
    void replayLinkHonoursRecordedDelays() throws Exception {
        Transcript t = Transcript.parse("> AT+QIACT=1\\r\n@+300ms\n< \\r\\nOK\\r\\n\n");
        try (ReplayLink link = ReplayLink.of(t); RawHost host = new RawHost(link)) {
            long t0 = System.nanoTime();
            host.command("AT+QIACT=1\r", "\r\nOK\r\n");
            assertTrue(System.nanoTime() - t0 >= 300_000_000L, "the answer waited for its recorded delay");
            awaitComplete(link);
            link.verify();
        }
    }

    @Test
    void replayLinkFailsWhenTheHostStopsEarly() throws Exception {
        Transcript t = Transcript.parse("> AT\\r\n< \\r\\nOK\\r\\n\n> AT+CSQ\\r\n");
        try (ReplayLink link = ReplayLink.of(t, Duration.ofSeconds(5), true); RawHost host = new RawHost(link)) {
            host.command("AT\r", "\r\nOK\r\n");
            assertFalse(link.isComplete());
            assertThrows(AssertionError.class, link::verify);
        }
    }

    @Test
    void recordedSessionReplaysAgainstTheSimulatorAndAsAReplayLink(@TempDir Path dir) throws Exception {
        TranscriptRecorder rec = new TranscriptRecorder();
        try (ModemSimulator sim = ModemSimulator.builder("bg96").build()) {
            SerialLink recorded = rec.wrap(sim.connectPipe());
            try (RawHost host = new RawHost(recorded)) {
                host.readThrough("APP RDY\r\n");
                host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
                host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
                host.command("AT+QIACT=1\r", "\r\nOK\r\n");
            }
        }
        Path file = dir.resolve("session.txt");
        rec.save(file);
        Transcript t = Transcript.load(file, Map.of());
        assertEquals("ATE0\rAT+CSQ\rAT+QIACT=1\r",
                new String(t.bytes(Transcript.Direction.HOST_TO_MODEM), StandardCharsets.ISO_8859_1));
        conform(t);
        try (ReplayLink link = ReplayLink.of(t); RawHost host = new RawHost(link)) {
            host.readThrough("APP RDY\r\n");
            host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
            host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
            host.command("AT+QIACT=1\r", "\r\nOK\r\n");
            awaitComplete(link);
            link.verify();
        }
    }

    /** The player marks completion just after matching the last host bytes. */
    private static void awaitComplete(ReplayLink link) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!link.isComplete() && link.divergence() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
