package dev.atmodem;

import java.io.IOException;

/** Something went wrong talking to the modem; the message says what, in plain words. */
public class ModemException extends IOException {

    public ModemException(String message) {
        super(message);
    }

    public ModemException(String message, Throwable cause) {
        super(message, cause);
    }
}
