package dev.atmodem.testkit.sim;

import java.util.Map;

/** The 3GPP 27.007 {@code +CME ERROR} numbers and texts a simulator uses (the subset in AT-REFERENCE §0). */
public final class CmeErrors {

    public static final int OPERATION_NOT_ALLOWED = 3;
    public static final int OPERATION_NOT_SUPPORTED = 4;
    public static final int SIM_NOT_INSERTED = 10;
    public static final int SIM_PIN_REQUIRED = 11;
    public static final int SIM_PUK_REQUIRED = 12;
    public static final int SIM_FAILURE = 13;
    public static final int SIM_BUSY = 14;
    public static final int INCORRECT_PASSWORD = 16;
    public static final int NO_NETWORK_SERVICE = 30;
    public static final int UNKNOWN = 100;

    private static final Map<Integer, String> TEXTS = Map.of(
            OPERATION_NOT_ALLOWED, "operation not allowed",
            OPERATION_NOT_SUPPORTED, "operation not supported",
            SIM_NOT_INSERTED, "SIM not inserted",
            SIM_PIN_REQUIRED, "SIM PIN required",
            SIM_PUK_REQUIRED, "SIM PUK required",
            SIM_FAILURE, "SIM failure",
            SIM_BUSY, "SIM busy",
            INCORRECT_PASSWORD, "incorrect password",
            NO_NETWORK_SERVICE, "no network service",
            UNKNOWN, "unknown");

    private CmeErrors() {
    }

    /** The verbose text for a 27.007 number, or null when it is not in the table. */
    public static String text(int code) {
        return TEXTS.get(code);
    }
}
