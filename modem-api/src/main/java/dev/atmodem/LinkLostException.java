package dev.atmodem;

/** The serial link to the modem is gone (port closed, unplugged, remote serial server dropped the connection). */
public class LinkLostException extends ModemException {

    public LinkLostException(String message) {
        super(message);
    }

    public LinkLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
