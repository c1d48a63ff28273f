package dev.atmodem.link;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds how far data written to a link runs ahead of what the serial line has carried, estimated from its baud rate.
 *
 * <p>Why: where a data write needs no answer from the modem (NINA-W's EDM data frames), nothing else holds a writer
 * back until the operating system's (or the simulator's) line buffer is full. The first socket to write would park
 * kilobytes in that FIFO, and every other socket's data, and every keep-alive, would wait behind them: unfair, and
 * seconds of head-of-line delay at 115200 baud. Here writers take turns (a fair lock hands the turn over in arrival
 * order) and a writer whose bytes would push the estimated backlog above {@code high} sleeps until it has drained to
 * {@code low}, so a writer sleeps once per {@code high - low} bytes rather than once per frame.
 *
 * <p>Bytes written outside the window (AT commands) are {@linkplain #count counted} without waiting: they jump ahead of
 * queued data. The estimate only bounds: a line slower than its baud (hardware flow control) still blocks in the write.
 */
final class SendWindow {

    /** The backlog a writer may create before it waits: about 3 EDM data frames. */
    static final int HIGH = 2048;
    /** The backlog a waiting writer waits for: half the window stays queued, so the line never runs dry. */
    static final int LOW = 1024;

    private final ReentrantLock turn = new ReentrantLock(true);
    private final double nanosPerByte;
    private final int high;
    private final int low;
    private double backlog;        // estimated bytes written but not yet on the wire, as of 'asOf'
    private long asOf = System.nanoTime();

    /** @param baud the line's rate in baud (8N1: ten bits per byte); must be positive */
    SendWindow(int baud, int high, int low) {
        if (baud <= 0 || low < 0 || high <= low) {
            throw new IllegalArgumentException("baud " + baud + ", window " + low + ".." + high);
        }
        this.nanosPerByte = 1e9 * 10 / baud;
        this.high = high;
        this.low = low;
    }

    SendWindow(int baud) {
        this(baud, HIGH, LOW);
    }

    /** Runs {@code write} (which puts {@code len} bytes on the line) when it is this writer's turn and there is room. */
    void write(int len, IoAction write) throws java.io.IOException {
        try {
            turn.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write to the line");
        }
        try {
            long wait = waitNanos(len);
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the line to drain");
                }
            }
            write.run();
            count(len);
        } finally {
            turn.unlock();
        }
    }

    /** Accounts bytes put on the line without waiting for room. */
    synchronized void count(int len) {
        backlog = backlogNow(System.nanoTime()) + len;
    }

    /** The estimated bytes not yet carried. */
    synchronized double backlog() {
        return backlogNow(System.nanoTime());
    }

    /** How long to wait before {@code len} more bytes fit: 0 if they fit, else until the backlog is down to low. */
    private synchronized long waitNanos(int len) {
        double now = backlogNow(System.nanoTime());
        if (now == 0 || now + len <= high) {
            return 0;
        }
        return (long) ((now - low) * nanosPerByte);
    }

    private double backlogNow(long now) {
        double drained = (now - asOf) / nanosPerByte;
        asOf = now;
        backlog = Math.max(0, backlog - drained);
        return backlog;
    }

    /** A write that may fail. */
    interface IoAction {
        void run() throws java.io.IOException;
    }
}
