package dev.atmodem.at;

/**
 * Guards every value that goes into an AT command line. A quote, CR, LF, {@code ;} or control byte could end the
 * argument or the command and inject a second one, so they are refused here, before anything reaches the link.
 * Messages never repeat a secret's value.
 */
public final class AtArgs {

    private AtArgs() {
    }

    /** Refuses characters that could break out of a quoted AT argument. Returns the value. */
    public static String safe(String what, String value) {
        check(what, value, false);
        return value;
    }

    /** As {@link #safe} but the message never shows the value (PIN, passwords). */
    public static String safeSecret(String what, String value) {
        check(what, value, true);
        return value;
    }

    /** The value in double quotes, after {@link #safe}. */
    public static String quoted(String what, String value) {
        return '"' + safe(what, value) + '"';
    }

    /** The value in double quotes, after {@link #safeSecret}. */
    public static String quotedSecret(String what, String value) {
        return '"' + safeSecret(what, value) + '"';
    }

    /**
     * A host name or IP literal as the modem's DNS and connect commands accept it: letters, digits, '-', '.', '_',
     * and ':' for IPv6, at most 253 characters.
     */
    public static String host(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host name is empty");
        }
        if (host.length() > 253) {
            throw new IllegalArgumentException("host name is longer than 253 characters");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == ':';
            if (!ok) {
                throw new IllegalArgumentException("host name '" + visible(host) + "' contains "
                        + describe(c) + " at position " + i + "; only letters, digits, '-', '.', '_' and ':' are"
                        + " allowed in a host name sent to the modem");
            }
        }
        return host;
    }

    public static int port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1-65535: " + port);
        }
        return port;
    }

    private static void check(String what, String value, boolean secret) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == ';' || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(what + (secret ? "" : " '" + visible(value) + "'")
                        + " contains " + describe(c) + " at position " + i
                        + ", which could inject a second AT command; it is refused");
            }
        }
    }

    private static String describe(char c) {
        return switch (c) {
            case '"' -> "a double quote";
            case ';' -> "a semicolon";
            case '\r' -> "a carriage return";
            case '\n' -> "a line feed";
            default -> c < 0x20 || c == 0x7f ? String.format("the control byte 0x%02x", (int) c) : "'" + c + "'";
        };
    }

    private static String visible(String s) {
        return dev.atmodem.link.Printable.of(s);
    }
}
