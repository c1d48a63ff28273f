package dev.atmodem.testing;

import java.util.Random;
import java.util.function.BiConsumer;

/** The three ways every framing test feeds its bytes: whole, one byte at a time, and in seeded random pieces. */
public enum Feed {
    WHOLE, BYTE_BY_BYTE, RANDOM_PIECES;

    public static final long SEED = 0xA7A7L;

    /** Calls {@code sink(offset, length)} over {@code data} in this mode's pieces. */
    public void split(byte[] data, long seed, BiConsumer<Integer, Integer> sink) {
        switch (this) {
            case WHOLE -> sink.accept(0, data.length);
            case BYTE_BY_BYTE -> {
                for (int i = 0; i < data.length; i++) {
                    sink.accept(i, 1);
                }
            }
            case RANDOM_PIECES -> {
                Random r = new Random(seed);
                int i = 0;
                while (i < data.length) {
                    int n = Math.min(data.length - i, 1 + r.nextInt(7));
                    sink.accept(i, n);
                    i += n;
                }
            }
            default -> throw new IllegalStateException();
        }
    }
}
