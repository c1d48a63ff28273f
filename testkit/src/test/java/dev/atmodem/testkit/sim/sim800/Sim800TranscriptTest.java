package dev.atmodem.testkit.sim.sim800;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.replay.Transcript;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped SIM800 transcripts are exactly what the sim800 dialect does (so a ReplayLink test can use them). */
class Sim800TranscriptTest {

    private static final String DIR = "/dev/atmodem/testkit/transcripts/";

    @ParameterizedTest
    @ValueSource(strings = {"sim800-bringup.txt", "sim800-tcp-echo.txt"})
    void shippedTranscriptsMatchTheSimulator(String name) throws Exception {
        try (LoopbackPeer echo = LoopbackPeer.echo()) {
            Transcript t = Transcript.resource(DIR + name, Map.of("PORT", Integer.toString(echo.port())));
            assertTrue(t.events().size() > 10);
            try (ModemSimulator sim = ModemSimulator.builder("sim800").build();
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
    }
}
