package dev.atmodem.testkit;

import dev.atmodem.Modem;
import dev.atmodem.ModemState;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * For fault tests: records a modem's state transitions (as {@code "READY->RECOVERING"}), waits for them or for the
 * modem to settle, and starts readers blocked on sockets, so that a test sees how each one ends.
 */
public final class ModemWatch {

    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long SETTLED_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Modem modem;
    private final List<String> transitions = new CopyOnWriteArrayList<>();

    private ModemWatch(Modem modem) {
        this.modem = modem;
        modem.addListener((from, to, why) -> transitions.add(from + "->" + to));
    }

    /** Starts recording {@code modem}'s transitions from now on. */
    public static ModemWatch of(Modem modem) {
        return new ModemWatch(modem);
    }

    /** The transitions so far, in order; a live, thread-safe view. */
    public List<String> transitions() {
        return transitions;
    }

    /** Waits (60 s at most) until {@code transition} has happened at least {@code times} times. */
    public void awaitTransition(String transition, int times) throws InterruptedException {
        long until = System.nanoTime() + WAIT_NANOS;
        while (count(transition) < times && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        if (count(transition) < times) {
            throw new AssertionError(transition + " seen " + count(transition) + " times, not " + times + ", in "
                    + transitions);
        }
    }

    private long count(String transition) {
        return transitions.stream().filter(transition::equals).count();
    }

    /** Waits (60 s at most) until the modem is READY and has not changed state for a second. */
    public void awaitStableReady() throws InterruptedException {
        long until = System.nanoTime() + WAIT_NANOS;
        int seen = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < until) {
            if (transitions.size() != seen) {
                seen = transitions.size();
                quietSince = System.nanoTime();
            } else if (modem.state() == ModemState.READY && System.nanoTime() - quietSince > SETTLED_NANOS) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the modem did not settle: " + transitions);
    }

    /** A reader blocked on {@code s}; completes with the exception that ended the read (data there is an error). */
    public static CompletableFuture<IOException> blockedReader(Socket s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                int v = s.getInputStream().read();
                throw new AssertionError("read returned " + v + " instead of failing");
            } catch (IOException e) {
                return e;
            }
        });
    }
}
