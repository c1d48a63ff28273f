package dev.atmodem.at;

import dev.atmodem.ModemException;

/** A wait was abandoned because its {@link Cancellation} fired (for example the socket was closed). */
public class AtCancelledException extends ModemException {

    public AtCancelledException(String message) {
        super(message);
    }
}
