package dev.atmodem.at;

/** Handles one unsolicited result code. Runs on the modem's event thread, where it may issue AT commands. */
@FunctionalInterface
public interface UrcHandler {

    void onUrc(AtLine urc) throws Exception;
}
