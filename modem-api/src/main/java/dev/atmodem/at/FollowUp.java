package dev.atmodem.at;

import dev.atmodem.ModemException;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A result that arrives after the command's {@code OK} as an unsolicited line ({@code +QIOPEN: 0,0},
 * {@code 0, CONNECT OK}, {@code +UUPSDA: 0,...}, the {@code +QIURC: "dnsgip"} lines). Register it with
 * {@link AtEngine#expect} <em>before</em> sending the command, so a fast answer cannot be missed; then take the
 * matching lines with {@link #next}. Matching lines are consumed here and not dispatched as URCs. Close it when done.
 */
public final class FollowUp implements AutoCloseable {

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final AtEngine engine;
    private final Predicate<String> matcher;
    private final String description;
    private final LinkedBlockingQueue<AtLine> lines = new LinkedBlockingQueue<>();

    FollowUp(AtEngine engine, Predicate<String> matcher, String description) {
        this.engine = engine;
        this.matcher = matcher;
        this.description = description;
    }

    boolean offer(AtLine line) {
        if (!matcher.test(line.text())) {
            return false;
        }
        lines.add(line);
        return true;
    }

    /** The next matching line, waiting at most {@code timeout}. */
    public AtLine next(Duration timeout) throws ModemException {
        return next(timeout, Cancellation.NONE);
    }

    public AtLine next(Duration timeout, Cancellation cancel) throws ModemException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            AtLine l = lines.poll();
            if (l != null) {
                return l;
            }
            engine.checkAlive();
            if (cancel.isCancelled()) {
                throw new AtCancelledException("stopped waiting for " + description);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AtTimeoutException(description, "the modem did not send " + description + " within "
                        + timeout.toMillis() + " ms");
            }
            try {
                l = lines.poll(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AtCancelledException("interrupted while waiting for " + description);
            }
            if (l != null) {
                return l;
            }
        }
    }

    @Override
    public void close() {
        engine.unregister(this);
    }
}
