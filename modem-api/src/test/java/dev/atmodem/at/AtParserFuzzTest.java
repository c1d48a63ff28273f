package dev.atmodem.at;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * Fuzzing the AT parser. In the normal suite the Jazzer tests run in regression mode (their seed inputs) and
 * {@link #seededRandomRun()} runs the same properties over 20,000 seeded random inputs in a few seconds. A real
 * campaign, one fuzz test per run:
 * <pre>
 * mvn -Pfuzz -pl modem-api test -Dtest=AtParserFuzzTest#arbitraryBytes
 * mvn -Pfuzz -pl modem-api test -Dtest=AtParserFuzzTest#framedPayloads
 * </pre>
 */
class AtParserFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void arbitraryBytes(FuzzedDataProvider data) {
        int pieces = data.consumeInt(1, 64);
        byte[] bytes = data.consumeRemainingAsBytes();
        ParserProperties.arbitraryBytesStayBounded(bytes, max -> pieces);
    }

    @FuzzTest(maxDuration = "10m")
    void framedPayloads(FuzzedDataProvider data) {
        int segments = data.consumeInt(1, 8);
        ParserProperties.payloadBytesNeverBecomeLines(
                bound -> data.remainingBytes() > 0 ? data.consumeInt(0, Math.max(0, bound - 1)) : 0, segments);
    }

    @Test
    void seededRandomRun() {
        Random r = new Random(20261122L);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[r.nextInt(600)];
            r.nextBytes(b);
            if (r.nextBoolean()) {
                // bias towards AT-looking input so that rules and prompts are actually reached
                byte[] at = ("\r\n+QIRD: " + (r.nextInt(4000) - 10) + "\r\n> @+USORD: 0," + r.nextInt(3000)
                        + ",\"OK\r\n+RECEIVE,1," + r.nextInt(99) + ":\r\n").getBytes(
                                java.nio.charset.StandardCharsets.ISO_8859_1);
                int at0 = r.nextInt(Math.max(1, b.length));
                System.arraycopy(at, 0, b, at0, Math.min(at.length, b.length - at0));
            }
            int piece = 1 + r.nextInt(64);
            ParserProperties.arbitraryBytesStayBounded(b, max -> piece);
        }
        for (int i = 0; i < 10_000; i++) {
            ParserProperties.payloadBytesNeverBecomeLines(r::nextInt, 1 + r.nextInt(8));
        }
    }
}
