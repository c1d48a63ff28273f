package dev.atmodem;

/**
 * The modem cannot be brought up without the user's help: the SIM refused the PIN, is PUK-blocked or missing, the
 * network denied registration. Retrying would not help (and for a PIN would use up the SIM's tries), so recovery
 * stops and the modem goes to {@link ModemState#FAILED}.
 */
public class ModemSetupException extends ModemException {

    public ModemSetupException(String message) {
        super(message);
    }

    public ModemSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
