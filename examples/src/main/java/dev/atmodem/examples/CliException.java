package dev.atmodem.examples;

/** A problem the user can fix (a wrong option, a missing file): printed as one line, without a stack trace. */
public class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
