package dev.atmodem.testkit.sim;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Paces one direction of a simulated UART to baud/10 bytes per second (8N1: ten bits on the wire per byte).
 *
 * <p>A virtual clock marks when the line becomes free. {@link #pace(int)} advances it by the transmission time of the
 * bytes and sleeps until then, so a block is handed over when its last byte would have arrived on a real wire. While
 * the line streams (the next block comes right after the last one), sleep overshoot is won back on later blocks (the
 * clock may lag real time by up to {@link #SLACK_NANOS}), which keeps the long-run rate exact. After the line was idle
 * it earns no credit at all, as a real UART: otherwise a whole AT chunk would pass for free after every pause at high
 * baud rates (20 ms is 1,843 bytes at 921600 baud), flattering every benchmark of an alternating protocol.
 */
public final class Pacer {

    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** A block that starts within this time of the previous one's end continues a stream. */
    private static final long STREAMING_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final double nanosPerByte;
    private long lineFreeAt = System.nanoTime();
    private long lastDone = System.nanoTime();

    /** @param baud the line rate; 0 or less means unpaced */
    public Pacer(int baud) {
        this.nanosPerByte = baud > 0 ? 1e9 * 10 / baud : 0;
    }

    public boolean isPaced() {
        return nanosPerByte > 0;
    }

    /** The number of bytes the line carries in {@code millis} milliseconds (at least 1). */
    public int bytesIn(int millis) {
        return isPaced() ? Math.max(1, (int) (millis * 1e6 / nanosPerByte)) : Integer.MAX_VALUE;
    }

    /** Blocks for as long as {@code n} bytes take on the wire. */
    public void pace(int n) throws InterruptedIOException {
        if (!isPaced() || n <= 0) {
            return;
        }
        long wakeAt;
        synchronized (this) {
            long now = System.nanoTime();
            boolean streaming = now - lastDone <= STREAMING_GAP_NANOS;
            long floor = streaming ? now - SLACK_NANOS : now; // an idle line earns no credit
            if (lineFreeAt < floor) {
                lineFreeAt = floor;
            }
            lineFreeAt += (long) (n * nanosPerByte);
            wakeAt = lineFreeAt;
        }
        long wait = wakeAt - System.nanoTime();
        try {
            while (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
                wait = wakeAt - System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while pacing the simulated line");
        }
        synchronized (this) {
            lastDone = System.nanoTime();
        }
    }
}
