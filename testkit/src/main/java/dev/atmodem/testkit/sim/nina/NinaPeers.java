package dev.atmodem.testkit.sim.nina;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.HostMode;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
import dev.atmodem.testkit.sim.SimConnection;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peers (§4B) and their data (§4C): {@code AT+UDCP} answers {@code +UDCP:<h>} at once, and {@code +UUDPC} (plus an
 * EDM connect event in EDM) follows once the TCP connection is up; {@code AT+UDCPC}, remote closes and a lost network
 * end with an EDM disconnect event and {@code +UUDPD:<h>}. In EDM, peer data travels in data events and data
 * commands on the peer's channel, which is deliberately not its handle (§4C: map them through the connect event).
 */
final class NinaPeers {

    private static final Logger log = LoggerFactory.getLogger(NinaPeers.class);

    private final NinaDialect modem;
    private final ModemContext ctx;
    private final TreeMap<Integer, NinaPeer> peers = new TreeMap<>();
    private int dataEventMax = NinaDialect.DATA_EVENT_MAX;
    /** Data events handed to the UART and not yet on the wire, of the current {@link #uartEpoch}. */
    private int uartQueued;
    /** Bumped when the UART's queue is thrown away (power-off): late confirmations of the old queue are ignored. */
    private int uartEpoch;
    /** The handle served last: the next turn goes to the next handle up. */
    private int lastServed = Integer.MIN_VALUE;

    NinaPeers(NinaDialect modem, ModemContext ctx) {
        this.modem = modem;
        this.ctx = ctx;
    }

    void dataEventMax(int max) {
        if (max < 1 || max > EdmFrame.maxData(EdmFrame.DATA_EVENT)) {
            throw new IllegalArgumentException("data event size 1.." + EdmFrame.maxData(EdmFrame.DATA_EVENT));
        }
        dataEventMax = max;
    }

    int count() {
        return peers.size();
    }

    // ---- AT+UDCP / AT+UDCPC / AT+UDLP ----

    void udcp(AtCommand c, Reply r) {
        if (c.form() != Form.SET || c.argCount() != 1) {
            r.error();
            return;
        }
        NinaUrl url = NinaUrl.parse(c.stringArg(0));
        if (url == null || !url.scheme().equals("tcp")) {
            r.error();   // UNCONFIRMED: malformed URLs and schemes not simulated (udp, at-tcp, spp...) are refused
            return;
        }
        if (!modem.wifi().networkUp()) {
            r.error();   // UNCONFIRMED: no network, no peer
            return;
        }
        if (peers.size() >= modem.model().maxPeers()) {
            r.error();   // UNCONFIRMED: how the module refuses a peer beyond its maximum
            return;
        }
        int handle = freeHandle();
        Optional<List<String>> ips = ctx.names().resolve(url.host());
        String ip = ips.map(l -> l.get(0)).orElse(null);
        NinaPeer p = new NinaPeer(handle, ip, url.port());
        peers.put(handle, p);
        r.line("+UDCP:" + handle).ok().then(() -> connect(p));
    }

    private void connect(NinaPeer p) {
        if (p.remoteIp == null) {
            ctx.schedule(ctx.conditions().rttMillis(), () -> failed(p));
            return;
        }
        SimConnection.open(ctx, p.remoteIp, p.remotePort, NinaDialect.NETWORK_READ_CHUNK, NinaDialect.SEND_BUFFER,
                NinaDialect.RECEIVE_WINDOW, new SimConnection.Listener() {
                    @Override
                    public void data(byte[] chunk) {
                        received(p, chunk);
                    }

                    @Override
                    public void closed() {
                        remoteClosed(p);
                    }
                }, (conn, failure) -> {
                    if (conn == null) {
                        log.debug("peer {} failed: {}", p.handle, failure);
                        failed(p);
                    } else if (peers.get(p.handle) != p) {
                        conn.close();   // the host closed it (or the module restarted) meanwhile
                    } else {
                        opened(p, conn);
                    }
                });
    }

    private void failed(NinaPeer p) {
        if (peers.get(p.handle) == p) {
            peers.remove(p.handle);
            ctx.urc("+UUDPD:" + p.handle);   // UNCONFIRMED: a failed connect ends with +UUDPD and no +UUDPC
        }
    }

    private void opened(NinaPeer p, SimConnection conn) {
        p.connection = conn;
        p.channel = freeChannel();
        conn.start();
        if (ctx.hostMode() == HostMode.EDM) {
            announce(p);
        }
        ctx.urc("+UUDPC:" + p.handle + ",2,0," + modem.wifi().address() + "," + conn.localPort() + ","
                + p.remoteIp + "," + p.remotePort);
    }

    /** The EDM connect event of a peer (§4C, IPv4: 14 bytes after type and channel). */
    private void announce(NinaPeer p) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(EdmFrame.CONN_IPV4);
        b.write(EdmFrame.PROTO_TCP);
        b.writeBytes(ipv4(p.remoteIp));
        b.write(p.remotePort >> 8);
        b.write(p.remotePort & 0xFF);
        b.writeBytes(ipv4(modem.wifi().address()));
        int lp = p.connection.localPort();
        b.write(lp >> 8);
        b.write(lp & 0xFF);
        ctx.emit(EdmFrame.onChannel(EdmFrame.CONNECT_EVENT, p.channel, b.toByteArray()).encode());
        p.announced = true;
    }

    private static byte[] ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    void udcpc(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int h = c.intArg(0);
        NinaPeer p = peers.get(h);
        if (p == null) {
            r.error();
            return;
        }
        r.ok().then(() -> {
            if (peers.get(h) == p) {
                drop(p);
            }
        });
    }

    /** {@code AT+UDLP?}: {@code +UDLP:<h>,<protocol>,<local>,<remote>} per connected peer (UNCONFIRMED fields). */
    void udlp(AtCommand c, Reply r) {
        if (c.form() != Form.READ && c.form() != Form.EXEC) {
            r.error();
            return;
        }
        for (NinaPeer p : peers.values()) {
            if (p.connected()) {
                r.line("+UDLP:" + p.handle + ",tcp," + modem.wifi().address() + ":" + p.connection.localPort() + ","
                        + p.remoteIp + ":" + p.remotePort);
            }
        }
        r.ok();
    }

    // ---- data ----

    /** Peer data, under the lock: to the host as data events in EDM, held otherwise. */
    private void received(NinaPeer p, byte[] chunk) {
        if (peers.get(p.handle) != p) {
            return;
        }
        ctx.stats().addSocketReceived(p.handle, chunk.length);
        if (ctx.hostMode() == HostMode.EDM && p.announced) {
            sendEvents(p, chunk);
        } else {
            p.held.add(chunk);
        }
    }

    /** Queues the data with its peer in data-event pieces; the UART takes them in turns ({@link #pump}). */
    private void sendEvents(NinaPeer p, byte[] data) {
        for (int off = 0; off < data.length; off += dataEventMax) {
            int n = Math.min(dataEventMax, data.length - off);
            p.outgoing.add(java.util.Arrays.copyOfRange(data, off, off + n));
        }
        pump();
    }

    /**
     * Under the lock: hands data events to the UART while it has room, one per peer in turn (handle order, starting
     * after the peer served last). A peer whose data is all sent and that has closed gets its disconnect now.
     */
    private void pump() {
        if (ctx.hostMode() != HostMode.EDM) {
            return;
        }
        while (uartQueued < NinaDialect.UART_QUEUE_EVENTS) {
            NinaPeer p = nextWithData();
            if (p == null) {
                return;
            }
            byte[] piece = p.outgoing.poll();
            lastServed = p.handle;
            uartQueued++;
            int epoch = uartEpoch;
            SimConnection conn = p.connection;
            int n = piece.length;
            ctx.emit(EdmFrame.onChannel(EdmFrame.DATA_EVENT, p.channel, piece).encode(), () -> {
                conn.release(n);   // the modem reads more from the peer only as the line carries this (receive window)
                ctx.schedule(0, () -> {
                    if (epoch == uartEpoch) {
                        uartQueued--;
                        pump();
                    }
                });
            });
            if (p.outgoing.isEmpty() && p.endAfterData) {
                end(p);
            }
        }
    }

    private NinaPeer nextWithData() {
        NinaPeer first = null;
        for (NinaPeer p : peers.values()) {
            if (!p.outgoing.isEmpty() && p.announced) {
                if (p.handle > lastServed) {
                    return p;
                }
                if (first == null) {
                    first = p;
                }
            }
        }
        return first;
    }

    /**
     * A data command from the host, on the input thread without the lock: waits while the peer's send buffer is full,
     * so the host is held back by the line instead of losing data. Data for a channel with no peer is dropped.
     */
    void dataFromHost(int channel, byte[] data) throws InterruptedException {
        SimConnection conn = null;
        synchronized (ctx.lock()) {
            for (NinaPeer p : peers.values()) {
                if (p.channel == channel && p.connected()) {
                    conn = p.connection;
                    ctx.stats().addSocketSent(p.handle, data.length);
                    break;
                }
            }
        }
        if (conn == null) {
            log.debug("data for channel {} with no peer: {} bytes dropped", channel, data.length);
            return;
        }
        if (data.length > 0 && !conn.sendWaiting(data)) {
            log.debug("data for channel {} after its peer closed: {} bytes dropped", channel, data.length);
        }
    }

    /** The line has switched to EDM: announce the peers connected before, and send what they received meanwhile. */
    void edmEntered() {
        for (NinaPeer p : peers.values()) {
            if (p.connected() && !p.announced) {
                announce(p);
            }
            if (p.connected() && !p.held.isEmpty()) {
                sendEvents(p, p.held.take(p.held.size()));
            }
        }
        pump();
    }

    /** The line has left EDM: peers must be announced again on the next entry. */
    void edmLeft() {
        for (NinaPeer p : peers.values()) {
            p.announced = false;
            // Not yet handed to the UART: kept for the next entry, ahead of anything received meanwhile.
            while (!p.outgoing.isEmpty()) {
                p.held.add(p.outgoing.poll());
            }
        }
    }

    // ---- ends ----

    /** The remote end closed: what it sent before reaches the host first, then the disconnect. */
    private void remoteClosed(NinaPeer p) {
        if (peers.get(p.handle) != p) {
            return;
        }
        if (!p.outgoing.isEmpty()) {
            p.endAfterData = true;
            return;
        }
        end(p);
    }

    /** The host closed it or the network went: data not yet handed to the UART is lost with the connection. */
    private void drop(NinaPeer p) {
        p.outgoing.clear();
        end(p);
    }

    /** Ends a peer with its disconnect event (in EDM) and {@code +UUDPD}. */
    private void end(NinaPeer p) {
        if (peers.get(p.handle) != p) {
            return;
        }
        peers.remove(p.handle);
        if (p.connection != null) {
            p.connection.close();
        }
        if (p.announced && ctx.hostMode() == HostMode.EDM) {
            ctx.emit(EdmFrame.onChannel(EdmFrame.DISCONNECT_EVENT, p.channel, new byte[0]).encode());
        }
        ctx.urc("+UUDPD:" + p.handle);
    }

    /** The network went away: every peer ends, each with its events. */
    void networkLost() {
        for (NinaPeer p : List.copyOf(peers.values())) {
            drop(p);
        }
    }

    boolean remoteClose(int handle) {
        NinaPeer p = peers.get(handle);
        if (p == null || !p.connected()) {
            return false;
        }
        p.connection.closeAsRemote();
        return true;
    }

    /** Power-off: everything goes silently. */
    void reset() {
        uartEpoch++;
        uartQueued = 0;
        for (NinaPeer p : peers.values()) {
            if (p.connection != null) {
                p.connection.close();
            }
        }
        peers.clear();
    }

    private int freeHandle() {
        int h = NinaDialect.FIRST_PEER_HANDLE;
        while (peers.containsKey(h)) {
            h++;
        }
        return h;
    }

    private int freeChannel() {
        int ch = NinaDialect.FIRST_CHANNEL;
        boolean taken = true;
        while (taken) {
            taken = false;
            for (NinaPeer p : peers.values()) {
                if (p.channel == ch) {
                    taken = true;
                    ch++;
                    break;
                }
            }
        }
        return ch;
    }
}
