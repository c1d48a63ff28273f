package dev.atmodem;

/** Where an open {@link Modem} is in its life. */
public enum ModemState {
    /** Brought up and attached: sockets can be opened. */
    READY,
    /** The modem rebooted, lost its data connection or stopped answering; atmodem is bringing it back. */
    RECOVERING,
    /** Recovery stopped because it needs the user's help (wrong PIN, no SIM, registration denied). */
    FAILED,
    /** The serial link is gone (unplugged, port closed): open the modem again. */
    LINK_LOST,
    /** Closed by the application. */
    CLOSED
}
