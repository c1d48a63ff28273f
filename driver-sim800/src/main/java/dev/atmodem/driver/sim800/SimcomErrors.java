package dev.atmodem.driver.sim800;

/**
 * SIMCom's answers in plain words. The SIM800 has no numeric per-connection error code (AT-REFERENCE §2E): a
 * connection reports only texts such as {@code 0, CONNECT FAIL}; DNS reports a small error number.
 */
final class SimcomErrors {

    private SimcomErrors() {
    }

    /** What a per-connection result after AT+CIPSTART means. */
    static String connectResult(String result) {
        return switch (result) {
            case "CONNECT FAIL" -> "CONNECT FAIL: the host name could not be resolved, or the host refused or did not"
                    + " answer the connection";
            case "CLOSE OK" -> "CLOSE OK: the connection was closed while it was being made";
            case "ALREADY CONNECT" -> "ALREADY CONNECT: the connection id was still in use on the modem";
            default -> result;
        };
    }

    /** The {@code <err>} of {@code +CDNSGIP: 0,<err>} in plain words (AT-REFERENCE §2D). */
    static String dnsError(String err) {
        return switch (err.trim()) {
            case "3" -> "SIMCom DNS error 3: network error";
            case "8" -> "SIMCom DNS error 8: DNS common error (no such host?)";
            default -> "SIMCom DNS error " + err.trim();
        };
    }

    /** Why the IP stack refuses sockets in a given {@code STATE:} of AT+CIPSTATUS, or null when it should not. */
    static String ipState(String state) {
        return switch (state) {
            case "IP INITIAL", "IP START", "IP CONFIG" -> "the data connection is not up (IP state " + state + ")";
            case "IP GPRSACT" -> "the local address was never read (IP state IP GPRSACT)";
            case "PDP DEACT" -> "the network dropped the data connection (IP state PDP DEACT)";
            default -> null;
        };
    }
}
