package dev.atmodem.testkit.sim.bg96;

import dev.atmodem.testkit.sim.ByteQueue;
import dev.atmodem.testkit.sim.SimConnection;

/** One BG96 connectID slot while it is in use (not "Initial"). */
final class Bg96Socket {

    static final int INITIAL = 0;
    static final int OPENING = 1;
    static final int CONNECTED = 2;
    static final int CLOSING = 4;

    final int id;
    final int contextId;
    final String serviceType;
    final String host;
    final int remotePort;
    final int accessMode;
    int state = OPENING;
    String remoteIp;
    SimConnection connection;
    final ByteQueue unread = new ByteQueue();
    long totalReceived;
    long haveRead;

    Bg96Socket(int id, int contextId, String serviceType, String host, int remotePort, int accessMode) {
        this.id = id;
        this.contextId = contextId;
        this.serviceType = serviceType;
        this.host = host;
        this.remotePort = remotePort;
        this.accessMode = accessMode;
    }

    int localPort() {
        return connection == null ? 0 : connection.localPort();
    }

    void closeConnection() {
        if (connection != null) {
            connection.close();
        }
    }
}
