package dev.atmodem.testkit.sim.ublox;

import dev.atmodem.testkit.sim.CmeErrors;
import java.util.Map;

/**
 * u-blox error texts and socket error numbers. The verbose {@code +CME ERROR} texts are capitalised the way a
 * SARA-R410 writes them ({@code +CME ERROR: Operation not allowed}, QUIRKS 13); the rest of the capitalisation is
 * UNCONFIRMED. The socket error numbers ({@code AT+USOER}, {@code AT+USOCTL=<s>,1}) follow the reference's "BSD-errno
 * style" note (§3B): only 0 and 11 are confirmed, the others are UNCONFIRMED errno guesses.
 */
final class SaraErrors {

    // ---- socket errors (AT+USOER / AT+USOCTL=<s>,1) ----
    static final int NO_ERROR = 0;
    /** Confirmed (§3B): "If the error code returned is 11, it means that the queue is full". */
    static final int QUEUE_FULL = 11;
    /** UNCONFIRMED: errno EINVAL for a bad parameter or a socket in the wrong state. */
    static final int INVALID = 22;
    /** UNCONFIRMED: errno ECONNRESET for a write or read on a socket the peer closed. */
    static final int CONNECTION_RESET = 104;
    /** UNCONFIRMED: errno ENOTCONN for a write on a socket that was never connected. */
    static final int NOT_CONNECTED = 107;
    /** UNCONFIRMED: errno ETIMEDOUT for a connect nobody answers (here: an address outside 127.0.0.0/8). */
    static final int TIMED_OUT = 110;
    /** UNCONFIRMED: errno ECONNREFUSED for a refused connect. */
    static final int CONNECTION_REFUSED = 111;
    /** UNCONFIRMED: errno EHOSTUNREACH for a connect without an active data context. */
    static final int HOST_UNREACHABLE = 113;

    private static final Map<Integer, String> TEXTS = Map.of(
            CmeErrors.OPERATION_NOT_ALLOWED, "Operation not allowed",
            CmeErrors.OPERATION_NOT_SUPPORTED, "Operation not supported",
            CmeErrors.SIM_NOT_INSERTED, "SIM not inserted",
            CmeErrors.SIM_PIN_REQUIRED, "SIM PIN required",
            CmeErrors.SIM_PUK_REQUIRED, "SIM PUK required",
            CmeErrors.SIM_FAILURE, "SIM failure",
            CmeErrors.SIM_BUSY, "SIM busy",
            CmeErrors.INCORRECT_PASSWORD, "Incorrect password",
            CmeErrors.NO_NETWORK_SERVICE, "No network service",
            CmeErrors.UNKNOWN, "Unknown");

    private SaraErrors() {
    }

    static String text(int code) {
        return TEXTS.get(code);
    }
}
