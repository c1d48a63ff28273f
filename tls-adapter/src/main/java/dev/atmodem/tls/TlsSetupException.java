package dev.atmodem.tls;

import java.io.IOException;

/** TLS material or settings that cannot work: a PEM file that does not parse, a key that does not match its certificate. */
public class TlsSetupException extends IOException {

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
