package dev.atmodem.examples;

/**
 * The CLI's logging backend is slf4j-simple, configured with system properties before the first logger exists:
 * warnings and errors only, on stderr; {@code --trace} adds the AT trace ({@code dev.atmodem.at.trace} at DEBUG),
 * {@code --verbose} atmodem's own INFO messages.
 */
public final class Logging {

    private static final String PREFIX = "org.slf4j.simpleLogger.";
    /** Bouncy Castle's JSSE logs through java.util.logging; held here because JUL keeps loggers weakly. */
    private static final java.util.logging.Logger BC_JSSE = java.util.logging.Logger.getLogger("org.bouncycastle");

    private Logging() {
    }

    /** Defaults for the CLI; an explicit -D on the java command line wins. */
    public static void defaults() {
        setIfAbsent(PREFIX + "defaultLogLevel", "warn");
        setIfAbsent(PREFIX + "logFile", "System.err");
        setIfAbsent(PREFIX + "showThreadName", "false");
        setIfAbsent(PREFIX + "showShortLogName", "true");
        setIfAbsent(PREFIX + "levelInBrackets", "true");
        // its INFO and WARNING lines (security properties it read or ignored) are noise on a command line
        BC_JSSE.setLevel(java.util.logging.Level.SEVERE);
    }

    /**
     * Applies {@code --trace} and {@code --verbose}. slf4j-simple reads a logger's level when the logger is created,
     * so this must run before the first modem is opened in this JVM.
     */
    public static void configure(CommonOptions o) {
        if (o.trace) {
            System.setProperty(PREFIX + "log.dev.atmodem.at.trace", "debug");
        }
        if (o.verbose) {
            System.setProperty(PREFIX + "log.dev.atmodem", "info");
            BC_JSSE.setLevel(java.util.logging.Level.INFO);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
