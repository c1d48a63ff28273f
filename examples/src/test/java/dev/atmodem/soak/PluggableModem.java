package dev.atmodem.soak;

import dev.atmodem.Modem;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated modem on a serial line that can vanish (the simulator and its end of the line are gone, as when a USB
 * modem is unplugged) and be plugged in again: the application's view, where a lost link means opening the modem
 * again. Not thread-safe for opening; {@link #current()} and {@link #unplug()} may be called from any thread.
 */
final class PluggableModem implements AutoCloseable {

    private final SoakTarget target;
    private final int promptGuardMillis;
    private final AtomicInteger plugs = new AtomicInteger();
    private volatile ModemSimulator sim;
    private volatile Modem modem;

    PluggableModem(SoakTarget target, int promptGuardMillis) {
        this.target = target;
        this.promptGuardMillis = promptGuardMillis;
    }

    /** Plugs a fresh simulator in and opens the modem on it (closing what was there). */
    Modem plugIn() throws IOException {
        closeQuietly();
        ModemSimulator s = target.simulator().seed(plugs.incrementAndGet()).build();
        sim = s;
        modem = Modem.open(s.connectPipe(), target.options(s, promptGuardMillis));
        return modem;
    }

    ModemSimulator simulator() {
        return sim;
    }

    Modem modem() {
        return modem;
    }

    /** The serial port vanishes: the modem side of the line closes under the open modem. */
    void unplug() {
        ModemSimulator s = sim;
        if (s != null) {
            s.close();
        }
    }

    /** Makes the modem usable after a failure: waits for its own recovery, or plugs in again if the link is lost. */
    Modem usable(Duration timeout) throws IOException {
        Modem m = modem;
        if (m == null || m.state() == ModemState.LINK_LOST || m.state() == ModemState.CLOSED) {
            return plugIn();
        }
        try {
            m.awaitReady(timeout);
            return m;
        } catch (dev.atmodem.LinkLostException e) {
            return plugIn();
        }
    }

    int plugCount() {
        return plugs.get();
    }

    private void closeQuietly() {
        Modem m = modem;
        if (m != null) {
            m.close();
        }
        ModemSimulator s = sim;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
