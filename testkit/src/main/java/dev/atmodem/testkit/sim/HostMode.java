package dev.atmodem.testkit.sim;

/**
 * What the serial line carries between host and modem. Every modem starts (and restarts) in {@link #COMMAND}; a
 * dialect switches with {@link ModemContext#framedMode}, {@link ModemContext#rawMode} and
 * {@link ModemContext#commandMode}.
 */
public enum HostMode {
    /** AT command lines and their text answers (the default). */
    COMMAND,
    /**
     * A multiplexing frame protocol (u-blox Extended Data Mode): AT requests, answers, URCs and data travel inside
     * frames that a {@link HostFraming} builds and parses.
     */
    EDM,
    /** Raw bytes for another protocol (e.g. PPP): the command reader is off and AT answers and URCs are not sent. */
    RAW
}
