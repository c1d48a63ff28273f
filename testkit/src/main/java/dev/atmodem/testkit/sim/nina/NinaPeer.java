package dev.atmodem.testkit.sim.nina;

import dev.atmodem.testkit.sim.ByteQueue;
import dev.atmodem.testkit.sim.SimConnection;

/** One peer (§4B): its handle, its EDM channel once connected, and data held while the line is not in EDM. */
final class NinaPeer {

    final int handle;
    final String remoteIp;
    final int remotePort;
    /** -1 until connected. */
    int channel = -1;
    SimConnection connection;
    /** Received while the line was not in EDM; sent as data events once it is. */
    final ByteQueue held = new ByteQueue();
    /** The host has been told about the channel with a connect event. */
    boolean announced;
    /** Data events waiting for their turn on the UART (EDM only): peers take turns, one event each. */
    final java.util.ArrayDeque<byte[]> outgoing = new java.util.ArrayDeque<>();
    /** The peer closed: its disconnect event and {@code +UUDPD} follow once {@link #outgoing} is sent. */
    boolean endAfterData;

    NinaPeer(int handle, String remoteIp, int remotePort) {
        this.handle = handle;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
    }

    boolean connected() {
        return connection != null;
    }
}
