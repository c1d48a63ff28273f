package dev.atmodem.at;

import dev.atmodem.ModemException;

/** The modem did not answer a command (or did not send an awaited result) within its deadline. */
public class AtTimeoutException extends ModemException {

    private final String command;

    public AtTimeoutException(String command, String message) {
        super(message);
        this.command = command;
    }

    /** The command as sent (secrets redacted), or the awaited result's description. */
    public String command() {
        return command;
    }
}
