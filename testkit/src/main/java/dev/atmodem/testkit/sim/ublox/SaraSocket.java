package dev.atmodem.testkit.sim.ublox;

import dev.atmodem.testkit.sim.ByteQueue;
import dev.atmodem.testkit.sim.SimConnection;

/** One SARA socket id from {@code AT+USOCR} until it is released ({@code AT+USOCL} or {@code +UUSOCL}). */
final class SaraSocket {

    /** {@code AT+USOCTL=<s>,10} TCP states used here (§3B). */
    static final int CLOSED = 0;
    static final int SYN_SENT = 2;
    static final int ESTABLISHED = 4;
    static final int CLOSE_WAIT = 7;

    final int id;
    final int protocol;
    int tcpState = CLOSED;
    String remoteIp;
    int remotePort;
    SimConnection connection;
    final ByteQueue unread = new ByteQueue();
    /** The peer closed; {@code +UUSOCL} follows once {@link #unread} is drained. */
    boolean remoteClosed;
    /** The bearer went: no data, every operation but close fails. */
    boolean dead;
    /** An async connect is waiting for its {@code +UUSOCO}. */
    boolean connectPending;
    /** An async {@code AT+USOCL} is waiting for its {@code +UUSOCL}. */
    boolean closing;
    /** A binary {@code AT+USOWR} is waiting for its data after the {@code @} prompt. */
    boolean writePending;
    /** The last {@code AT+USORD} emptied the buffer (for the QUIRKS 11 knob). */
    boolean drainedByRead;
    int lastError;
    long sent;
    long received;

    SaraSocket(int id, int protocol) {
        this.id = id;
        this.protocol = protocol;
    }

    boolean connected() {
        return tcpState == ESTABLISHED && !remoteClosed && !dead;
    }

    void closeConnection() {
        if (connection != null) {
            connection.close();
        }
    }
}
