package dev.atmodem.tls;

import dev.atmodem.Modem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Which time certificates are checked against. The host clock, unless it is clearly wrong (before {@link #SANE_FLOOR}:
 * a Raspberry Pi without a real-time clock boots in 1970 or at its image's date) and the modem knows the network's
 * time; then the network time, with a warning that says so.
 */
final class ValidationClock {

    /** No certificate atmodem will ever check was issued before this; a host clock before it is unset. */
    static final Instant SANE_FLOOR = Instant.parse("2025-01-01T00:00:00Z");

    private static final Logger log = LoggerFactory.getLogger(ValidationClock.class);

    /** The instant used and where it came from, for messages. */
    record Reading(Instant instant, String source) {
        @Override
        public String toString() {
            return instant + " (" + source + ")";
        }
    }

    private final Clock host;
    private final boolean alwaysModem;

    ValidationClock(Clock host, boolean alwaysModem) {
        this.host = host;
        this.alwaysModem = alwaysModem;
    }

    Reading read(Modem modem) {
        Instant h = host.instant();
        if (!alwaysModem && !h.isBefore(SANE_FLOOR)) {
            return new Reading(h, "host clock");
        }
        Optional<Instant> network = networkTime(modem);
        if (network.isPresent()) {
            if (!alwaysModem) {
                log.warn("the host clock says {}, which is clearly wrong (no real-time clock?); checking certificates"
                        + " against the modem's network time {} instead", h, network.get());
            }
            return new Reading(network.get(), "the modem's network time");
        }
        return new Reading(h, alwaysModem ? "host clock: the modem did not know the network time"
                : "host clock, which looks unset; the modem did not know the network time");
    }

    /** The other clock's reading for an error message: the modem's time when the host's was used, or "". */
    String otherClock(Modem modem, Reading used) {
        if (used.source().startsWith("host")) {
            return networkTime(modem).map(t -> "; the modem's network time is " + t).orElse("");
        }
        return "; the host clock says " + host.instant();
    }

    private static Optional<Instant> networkTime(Modem modem) {
        if (modem == null) {
            return Optional.empty();
        }
        try {
            return modem.networkTime();
        } catch (IOException | RuntimeException e) {
            log.debug("cannot read the modem's network time: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
