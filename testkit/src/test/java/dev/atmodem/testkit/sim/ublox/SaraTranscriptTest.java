package dev.atmodem.testkit.sim.ublox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.replay.Transcript;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped SARA transcripts are exactly what the dialects do (so a ReplayLink test can use them). */
class SaraTranscriptTest {

    private static final String DIR = "/dev/atmodem/testkit/transcripts/";

    @ParameterizedTest
    @CsvSource({"sara-r4,sara-r4-tcp-echo.txt", "sara-r5,sara-r5-tcp-echo.txt"})
    void shippedTranscriptsMatchTheSimulator(String dialect, String name) throws Exception {
        try (LoopbackPeer echo = LoopbackPeer.echo()) {
            Transcript t = Transcript.resource(DIR + name, Map.of("PORT", Integer.toString(echo.port())));
            assertTrue(t.events().size() > 10);
            try (ModemSimulator sim = ModemSimulator.builder(dialect).build();
                 RawHost host = new RawHost(sim.connectPipe())) {
                sim.control(SaraDialect.class, d -> d.requireCredentials("user", "secret"));
                for (Transcript.Event e : t.events()) {
                    if (e.direction() == Transcript.Direction.HOST_TO_MODEM) {
                        Thread.sleep(e.delayMillis());
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
