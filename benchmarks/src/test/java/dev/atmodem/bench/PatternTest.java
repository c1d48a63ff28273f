package dev.atmodem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The copied pattern the transfers send and check is the pattern, across its 64 KiB period. */
class PatternTest {

    @Test
    void copiedSlicesEqualThePatternAndMismatchesAreFound() {
        byte[] buf = new byte[8 * 1024];
        for (long position : new long[] {0, 1, 65_535 - 100, 65_536 * 3 + 17, 1_000_000_007L}) {
            TrafficServer.fillPattern(buf, buf.length, position);
            for (int i = 0; i < buf.length; i++) {
                assertEquals(TrafficServer.pattern(position + i), buf[i], "byte " + i + " from " + position);
            }
            assertEquals(-1, TrafficServer.mismatchPattern(buf, buf.length, position));
            buf[4321] ^= 1;
            assertEquals(4321, TrafficServer.mismatchPattern(buf, buf.length, position));
            assertEquals(0, TrafficServer.mismatchPattern(buf, buf.length, position + 1),
                    "a stream one byte off is caught at its first byte");
        }
    }
}
