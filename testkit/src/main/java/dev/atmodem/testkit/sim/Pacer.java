package dev.atmodem.testkit.sim;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Paces one direction of a simulated UART to baud/10 bytes per second (8N1: ten bits on the wire per byte).
 *
 * <p>A virtual clock marks when the line becomes free. {@link #pace(int)} advances it by the transmission time of the
 * bytes and sleeps until then, so a block is handed over when its last byte would have arrived on a real wire. Sleep
 * overshoot is won back on later blocks (the clock may lag real time by up to {@link #SLACK_NANOS}), which keeps the
 * long-run rate exact instead of a few percent slow.
 */
public final class Pacer {

    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final double nanosPerByte;
    private long lineFreeAt = System.nanoTime();

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
            if (lineFreeAt < now - SLACK_NANOS) {
                lineFreeAt = now - SLACK_NANOS;   // an idle line earns no credit beyond the slack
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
    }
}
