package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.replay.ReplayLink;
import dev.atmodem.testkit.replay.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NINA-W driver against a session written by hand from the reference (not from the simulator), byte for byte:
 * every command and every EDM frame the driver sends is checked, so a misreading shared by the driver and the
 * simulator dialect still shows here.
 */
class NinaTranscriptTest {

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aWholeSessionWithEdmFramesMatchesTheReferenceByteForByte() throws Exception {
        byte[] payload = {'a', 'b', '\r', '\n', 0, '"', (byte) 0xAA, 0x55, 'z'};
        try (ReplayLink link = ReplayLink.of(Transcript.resource("/dev/atmodem/driver/ublox/nina-w-session.txt",
                Map.of()))) {
            ModemOptions options = ModemOptions.wifi("home-net", "pass-phrase-1")
                    .withRecovery(false, Duration.ofSeconds(1), Duration.ofSeconds(1))
                    .withPolling(Duration.ofSeconds(20), Duration.ofSeconds(20));
            try (Modem modem = Modem.open(link, options)) {
                assertEquals("NINA-W132", modem.capabilities().model());
                Socket s = modem.socketFactory().createSocket("127.0.0.1", 7777);
                s.setSoTimeout(20_000);
                s.getOutputStream().write(payload);
                InputStream in = s.getInputStream();
                assertArrayEquals(payload, in.readNBytes(payload.length), "the data event's payload, byte-exact");
                assertEquals(-1, in.read(), "end of stream after the disconnect event");
                s.close();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!link.isComplete() && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertTrue(link.isComplete(), "the whole session was played; divergence: " + link.divergence());
            }
            link.verify();
        }
    }
}
