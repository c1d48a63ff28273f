package dev.atmodem.at;

/**
 * Lets a waiting caller give up early, e.g. because its socket was closed from another thread. Checked in short
 * slices by everything in the engine that waits, so a cancel is seen within a few tens of milliseconds.
 */
@FunctionalInterface
public interface Cancellation {

    Cancellation NONE = () -> false;

    boolean isCancelled();
}
