package dev.atmodem.testkit.sim;

import java.time.Clock;
import java.util.Objects;

/**
 * Modem-side settings that do not belong to the line: the SIM PIN lock, how long a boot takes, the network clock.
 *
 * @param pin       when non-null, the SIM starts locked and {@code AT+CPIN="<pin>"} unlocks it
 * @param bootMillis time between the first boot URC and "ready" during which input is ignored
 * @param clock     network time served by commands such as {@code AT+QLTS}
 */
public record SimOptions(String pin, int bootMillis, Clock clock) {

    public SimOptions {
        Objects.requireNonNull(clock, "clock");
        if (bootMillis < 0) {
            throw new IllegalArgumentException("bootMillis must not be negative");
        }
    }

    public static SimOptions defaults() {
        return new SimOptions(null, 0, Clock.systemUTC());
    }

    public SimOptions withPin(String p) {
        return new SimOptions(p, bootMillis, clock);
    }

    public SimOptions withBootMillis(int ms) {
        return new SimOptions(pin, ms, clock);
    }

    public SimOptions withClock(Clock c) {
        return new SimOptions(pin, bootMillis, c);
    }
}
