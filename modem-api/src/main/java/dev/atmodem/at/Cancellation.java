package dev.atmodem.at;

import java.util.function.BooleanSupplier;

/**
 * Lets a waiting caller give up early, e.g. because its socket was closed from another thread.
 *
 * <p>A plain cancellation is checked in short slices by everything in the engine that waits, so it is seen within a
 * few tens of milliseconds. An {@link #announced} one is re-checked only when whoever fires it calls
 * {@link AtEngine#wakeWaiters()}: a command waiting for a long answer then sleeps until the answer, its deadline or
 * that call, instead of waking every slice (at 115200 baud a 1,500-byte answer takes 130 ms: six wake-ups saved).
 */
@FunctionalInterface
public interface Cancellation {

    Cancellation NONE = announced(() -> false);

    boolean isCancelled();

    /** True when firing it comes with {@link AtEngine#wakeWaiters()}, so that waits need not poll it. */
    default boolean isAnnounced() {
        return false;
    }

    /** A cancellation whose firing is always followed by {@link AtEngine#wakeWaiters()} on the engine that waits. */
    static Cancellation announced(BooleanSupplier fired) {
        return new Cancellation() {
            @Override
            public boolean isCancelled() {
                return fired.getAsBoolean();
            }

            @Override
            public boolean isAnnounced() {
                return true;
            }
        };
    }
}
