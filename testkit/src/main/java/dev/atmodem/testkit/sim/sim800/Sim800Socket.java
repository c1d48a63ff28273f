package dev.atmodem.testkit.sim.sim800;

import dev.atmodem.testkit.sim.ByteQueue;
import dev.atmodem.testkit.sim.SimConnection;

/** One SIM800 connection {@code <n>} once used since the last {@code AT+CIPSHUT}. */
final class Sim800Socket {

    /** Client states as {@code AT+CIPSTATUS} prints them (AT-REFERENCE §2B). */
    static final String CONNECTING = "CONNECTING";
    static final String CONNECTED = "CONNECTED";
    static final String CLOSED = "CLOSED";

    final int id;
    final String host;
    final int port;
    final boolean ssl;
    String state = CONNECTING;
    String remoteIp;
    SimConnection connection;
    final ByteQueue unread = new ByteQueue();
    /** Closed by the peer (or the bearer), not by the host. */
    boolean remoteClosed;

    Sim800Socket(int id, String host, int port, boolean ssl) {
        this.id = id;
        this.host = host;
        this.port = port;
        this.ssl = ssl;
    }

    boolean inUse() {
        return CONNECTING.equals(state) || CONNECTED.equals(state);
    }

    /** Drops the TCP connection without reporting anything. */
    void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
