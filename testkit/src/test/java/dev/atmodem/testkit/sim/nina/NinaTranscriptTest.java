package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.replay.Transcript;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Test;

/** The shipped NINA-W transcript is exactly what the dialect does (so a ReplayLink test can use it). */
class NinaTranscriptTest {

    @Test
    void shippedBringUpTranscriptMatchesTheSimulator() throws Exception {
        Transcript t = Transcript.resource("/dev/atmodem/testkit/transcripts/nina-w-bringup.txt", java.util.Map.of());
        assertTrue(t.events().size() > 20);
        try (ModemSimulator sim = ModemSimulator.builder("nina-w").build();
             RawHost host = new RawHost(sim.connectPipe())) {
            for (Transcript.Event e : t.events()) {
                if (e.direction() == Transcript.Direction.HOST_TO_MODEM) {
                    Thread.sleep(e.delayMillis());
                    host.send(e.bytes());
                } else {
                    host.expect(e.bytes());
                }
            }
            Thread.sleep(50);
            assertArrayEquals(new byte[0], host.pending(), "the simulator sent more than the transcript has");
        }
    }
}
