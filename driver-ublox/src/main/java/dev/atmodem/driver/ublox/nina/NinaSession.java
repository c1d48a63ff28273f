package dev.atmodem.driver.ublox.nina;

import dev.atmodem.ModemException;
import dev.atmodem.ModemOptions;
import dev.atmodem.ModemSetupException;
import dev.atmodem.at.AtArgs;
import dev.atmodem.at.AtCommand;
import dev.atmodem.at.AtEngine;
import dev.atmodem.at.AtException;
import dev.atmodem.at.AtLine;
import dev.atmodem.at.AtTimeoutException;
import dev.atmodem.at.Cancellation;
import dev.atmodem.at.FollowUp;
import dev.atmodem.link.FramedLink;
import dev.atmodem.spi.DriverContext;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.ReadChunk;
import dev.atmodem.spi.SocketEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The u-connectXpress gen1 command set of NINA-W1 / ODIN-W2 (AT-REFERENCE §4): Wi-Fi station bring-up with
 * {@code AT+UWSC}/{@code AT+UWSCA} and the {@code +UUWLE}/{@code +UUNU} (or {@code +UUWLD}) answers, then Extended Data
 * Mode ({@code ATO2}) for the rest of the session. A socket is a peer: {@code AT+UDCP="tcp://host:port/"} gives its
 * handle (the socket id), {@code +UUDPC} and the EDM connect event together say which EDM channel carries it, data
 * goes out in data-command frames and comes back pushed in data events, a disconnect event is the remote close, and
 * {@code AT+UDCPC} closes it. {@code +UUWLD}/{@code +UUND} drop every socket (bearer lost); {@code +STARTUP} or an
 * EDM start event is a restart.
 *
 * <p>Driver option {@code nina.dataMode}: {@code edm} (default) or {@code command}: the line stays in AT command
 * mode after the Wi-Fi is up, no sockets, for handing it over to PPP with {@link NinaOperations#enterPpp()}.
 */
final class NinaSession implements DriverSession, EdmListener {

    private static final Logger log = LoggerFactory.getLogger(NinaSession.class);

    /** +UUDPC:<h>,<type>,<protocol>,<local_ip>,<local_port>,<remote_ip>,<remote_port> (§4B). */
    private static final Pattern UUDPC = Pattern.compile(
            "\\+UUDPC: ?(\\d{1,9}),2,(\\d+),([0-9.]+),(\\d+),([0-9.]+),(\\d+).*");
    // At most 9 digits: a number past int is an unexpected answer (null), not a NumberFormatException.
    private static final Pattern FIRST_INT = Pattern.compile("\\s*(\\d{1,9})(?!\\d).*");

    // Default timeouts; each can be overridden by name through ModemOptions.withTimeout (names in quotes).
    /** "wifi": from AT+UWSCA=0,3 to +UUNU (association, WPA handshake and DHCP). */
    private static final Duration WIFI_TIMEOUT = Duration.ofSeconds(30);
    /** "UDCP", "UDCPC", "UWSC", "UNSTAT": configuration and peer table commands, answered at once. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** "probeAfter": how long the module may be quiet under a waiting reader before an AT checks it is alive. */
    private static final Duration PROBE_AFTER = Duration.ofSeconds(2);
    /** "UUDPD": how long a close waits for the module's {@code +UUDPD} that frees the handle. */
    private static final Duration UUDPD_WAIT = Duration.ofSeconds(5);

    private final DriverContext ctx;
    private final AtEngine at;
    private final ModemOptions options;
    private final SocketEvents events;
    private final FramedLink link;
    private final EdmFraming edm;
    private final boolean useEdm;
    private final NinaPpp ppp;

    /** Peers by handle (the socket id). */
    private final Map<Integer, Peer> peers = new ConcurrentHashMap<>();
    /** EDM channels by number. */
    private final Map<Integer, Channel> channels = new ConcurrentHashMap<>();
    /** A +UUDPC or a connect event waiting for its other half, by "localPort/remotePort". */
    private final Map<String, Integer> handleByPorts = new ConcurrentHashMap<>();
    private final Map<String, Integer> channelByPorts = new ConcurrentHashMap<>();
    private final Object joinLock = new Object();

    private volatile boolean networkUp;
    /**
     * Set on the reader thread by {@code +UUWLD}/{@code +UUND}, in order with the disconnect events that follow it: those
     * peers died with the network, which must fail their sockets (bearer lost), not end them like a remote close.
     */
    private volatile boolean linkDown;
    private volatile String localIp = "";
    private volatile long lastRebootNanos;

    /** Orders peer records: one created before a connect was sent cannot be that connect's peer. */
    private final java.util.concurrent.atomic.AtomicLong births = new java.util.concurrent.atomic.AtomicLong();

    /**
     * One peer: its handle, and its channel once the connect event named it. The module reuses handles at once, so a
     * record stays until its {@code +UUDPD} was seen: a late one can then never end the next peer on that handle.
     */
    private final class Peer {
        final int handle;
        final long born = births.incrementAndGet();
        volatile int channel = -1;
        volatile boolean disconnected;
        volatile boolean uudpdSeen;
        /** We asked the module to close it: its disconnect event is no news for the socket engine. */
        volatile boolean closing;

        Peer(int handle) {
            this.handle = handle;
        }
    }

    /** One EDM channel: the peer it carries once known; data that arrived before that. */
    /** Data kept for a channel between its connect event and its +UUDPC (normally one frame or two). */
    static final int EARLY_LIMIT = 64 * 1024;

    private static final class Channel {
        volatile int handle = -1;
        /** The record joined to it: the module reuses channels as it reuses handles, so the handle alone is ambiguous. */
        volatile Peer peer;
        final java.io.ByteArrayOutputStream early = new java.io.ByteArrayOutputStream();
        boolean closed;
    }

    NinaSession(DriverContext ctx) {
        this.ctx = ctx;
        this.at = ctx.at();
        this.options = ctx.options();
        this.events = ctx.events();
        this.link = ctx.link();
        String mode = options.driverOption("nina.dataMode", "edm");
        if (!mode.equals("edm") && !mode.equals("command")) {
            throw new IllegalArgumentException("nina.dataMode must be 'edm' or 'command', not '" + mode + "'");
        }
        this.useEdm = mode.equals("edm");
        if (useEdm && link == null) {
            throw new IllegalArgumentException("the NINA-W driver frames the line itself (EDM) and needs the modem's"
                    + " FramedLink: open the modem with Modem.open, or set nina.dataMode=command");
        }
        this.edm = new EdmFraming(at.name(), this);
        this.ppp = new NinaPpp(at, link, this::inEdm, timeoutOf("UPPPC", COMMAND_TIMEOUT));
        // A restart comes up in command mode: from this line on, commands go out as plain text again.
        // (The engine gives a line to the first route that matches: each recorder schedules its own follow-up.)
        at.onUrcRecord(l -> l.equals("+STARTUP"), urc -> {
            edm.frameOutput(false);
            at.runOnEventThread(() -> reportReboot(urc.text()));
        });
        at.onUrcRecord(l -> l.startsWith("+UUDPC:"), urc -> peerConnected(urc.text()));
        at.onUrcRecord(l -> l.startsWith("+UUDPD:"), urc -> {
            Integer h = firstInt(urc.after("+UUDPD:"));
            if (h != null) {
                peerDisconnected(h);
            }
        });
        at.onUrcRecord(l -> l.startsWith("+UUWLD:") || l.startsWith("+UUND:") || l.startsWith("+UUNERR"), urc -> {
            linkDown |= networkUp;
            at.runOnEventThread(() -> networkLost(urc.text()));
        });
        at.onUrc(l -> l.startsWith("+UUWLE:") || l.startsWith("+UUNU:"),
                urc -> log.info("{}: {}", at.name(), urc.text()));
    }

    private Duration timeoutOf(String name, Duration fallback) {
        return ctx.timeout(name, fallback);
    }

    boolean inEdm() {
        return edm.framedOutput();
    }

    // ---- bring-up ----

    @Override
    public void bringUp() {
        // Nothing to unlock or register: a Wi-Fi module is ready once it answers AT (the engine has checked that).
        log.debug("{}: NINA-W bring-up: module answers", at.name());
    }

    @Override
    public void attach() throws IOException {
        String ssid = options.wifiSsid();
        if (ssid == null) {
            throw new ModemSetupException("the " + ctx.capabilities().model() + " is a Wi-Fi module: open it with"
                    + " ModemOptions.wifi(ssid, passphrase)");
        }
        joinWifi(ssid, options.wifiPassphrase());
        if (useEdm && !inEdm()) {
            enterEdm();
        }
        // Any restart reported so far has been dealt with by this bring-up: the next +STARTUP is a new restart, not
        // more chatter of the last (taken for chatter, the module stayed in command mode and unrecovered for good).
        lastRebootNanos = 0;
    }

    private void joinWifi(String ssid, String passphrase) throws IOException {
        Duration t = timeoutOf("UWSC", COMMAND_TIMEOUT);
        boolean open = passphrase == null || passphrase.isEmpty();
        networkUp = false;
        // A configuration still active (a recovery after silence, a link the module is rejoining by itself) would
        // answer the activation with OK and no new +UUNU: take it down first, so the activation below is a fresh one.
        // Its +UUWLD/+UUND arrive before the answers to the commands that follow.
        try {
            exec("AT+UWSCA=0,4", t);
        } catch (AtException e) {
            log.debug("{}: Wi-Fi configuration 0 was not active ({})", at.name(), e.answer());
        }
        // Inactive on startup while we edit config 0 (§4A), so a half-written configuration never auto-connects.
        exec("AT+UWSC=0,0,0", t);
        exec("AT+UWSC=0,2," + AtArgs.quoted("Wi-Fi SSID", ssid), t);
        exec("AT+UWSC=0,5," + (open ? 1 : 2), t); // 1 open, 2 WPA/WPA2 PSK
        if (!open) {
            String q = AtArgs.quotedSecret("Wi-Fi passphrase", passphrase);
            at.execute(AtCommand.of("AT+UWSC=0,8," + q).secret(passphrase).timeout(t).build());
        }
        exec("AT+UWSC=0,100,2", t); // IPv4 by DHCP
        try (FollowUp wifi = at.expect(l -> l.startsWith("+UUNU:") || l.startsWith("+UUWLD:")
                || l.startsWith("+UUND:") || l.startsWith("+UUNERR"), "the Wi-Fi link (+UUNU or +UUWLD)")) {
            exec("AT+UWSCA=0,3", t);
            Duration wait = timeoutOf("wifi", WIFI_TIMEOUT);
            long deadline = System.nanoTime() + wait.toNanos();
            AtLine l;
            do {
                try {
                    l = wifi.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (AtTimeoutException e) {
                    throw new ModemException("the " + ctx.capabilities().model() + " did not join the Wi-Fi network '"
                            + ssid + "' within " + wait.toSeconds() + " s: is the access point in range?", e);
                }
                // "network down" and "network disabled" are the echo of our own deactivation above, not a failure.
            } while (l.text().startsWith("+UUND:") || NinaErrors.isDisabled(l.text()));
            if (!l.text().startsWith("+UUNU:")) {
                String why = "the " + ctx.capabilities().model() + " could not join the Wi-Fi network '" + ssid + "' ("
                        + l.text() + NinaErrors.linkDownReason(l.text()) + "): check the SSID and the passphrase";
                // A refused passphrase needs the user; an access point out of range may come back (recovery retries).
                throw NinaErrors.isSecurity(l.text()) ? new ModemSetupException(why) : new ModemException(why);
            }
            Integer iface = firstInt(l.after("+UUNU:"));
            localIp = address(iface == null ? 0 : iface);
        }
        linkDown = false;
        networkUp = true;
        log.info("{}: joined Wi-Fi '{}', address {}", at.name(), ssid, localIp);
    }

    private String address(int iface) throws IOException {
        try {
            String v = at.execute(AtCommand.of("AT+UNSTAT=" + iface + ",101").expect("+UNSTAT:")
                    .timeout(timeoutOf("UNSTAT", COMMAND_TIMEOUT)).build()).value("+UNSTAT:");
            if (v == null) {
                return "";
            }
            String[] f = v.split(",");
            return f.length >= 3 ? f[2].trim() : "";
        } catch (AtException e) {
            log.debug("{}: AT+UNSTAT refused: {}", at.name(), e.getMessage());
            return "";
        }
    }

    /**
     * {@code ATO2}: the decoder goes first (a frame may follow the OK at once), the command frames once the OK is in.
     */
    private void enterEdm() throws IOException {
        edm.frameOutput(false);
        link.install(edm);
        at.execute(AtCommand.of("ATO2").timeout(timeoutOf("ATO2", COMMAND_TIMEOUT)).build());
        edm.frameOutput(true);
        at.execute(AtCommand.of("AT").timeout(timeoutOf("ATO2", COMMAND_TIMEOUT)).build()); // answers inside EDM
        log.info("{}: in Extended Data Mode", at.name());
    }

    @Override
    public void recover() throws IOException {
        for (Peer p : peers.values()) {
            closeQuietly(p.handle);
        }
        forgetAll();
        bringUp();
        attach();
    }

    private void forgetAll() {
        synchronized (joinLock) {
            peers.clear();
            channels.clear();
            handleByPorts.clear();
            channelByPorts.clear();
        }
    }

    private void exec(String cmd, Duration t) throws IOException {
        at.execute(AtCommand.of(cmd).timeout(t).build());
    }

    // ---- modem-wide events ----

    private void reportReboot(String why) {
        long now = System.nanoTime();
        long last = lastRebootNanos;
        if (last != 0 && now - last < Duration.ofSeconds(5).toNanos()) {
            log.debug("{}: more restart chatter: {}", at.name(), why);
            return;
        }
        lastRebootNanos = now;
        networkUp = false;
        forgetAll();
        events.rebooted(why);
    }

    private void networkLost(String why) {
        if (!networkUp) {
            log.debug("{}: {} while the network was not up", at.name(), why);
            return;
        }
        networkUp = false;
        events.bearerLost("Wi-Fi: " + why + NinaErrors.linkDownReason(why));
    }

    /**
     * The module sends a start event when it enters EDM (the dialect's reading of §4C; UNCONFIRMED). A real restart
     * comes up in command mode and says {@code +STARTUP}, which is what counts as a reboot here.
     */
    @Override
    public void started() {
        log.debug("{}: EDM start event", at.name());
    }

    // ---- peers and channels (reader thread) ----

    private void peerConnected(String text) {
        Matcher m = UUDPC.matcher(text);
        if (!m.matches()) {
            log.debug("{}: peer event not for an IPv4 peer: {}", at.name(), text);
            return;
        }
        int handle = Integer.parseInt(m.group(1));
        String key = m.group(4) + "/" + m.group(6);
        synchronized (joinLock) {
            livePeer(handle);
            Integer ch = channelByPorts.remove(key);
            if (ch != null) {
                join(handle, ch);
            } else {
                handleByPorts.put(key, handle);
            }
        }
    }

    @Override
    public void connected(EdmConnect c) {
        String key = c.localPort() + "/" + c.remotePort();
        synchronized (joinLock) {
            channels.put(c.channel(), new Channel());
            Integer h = handleByPorts.remove(key);
            if (h != null) {
                join(h, c.channel());
            } else {
                channelByPorts.put(key, c.channel());
            }
        }
    }

    /** Both halves are in: the peer's data and close travel on {@code channel}. Holds joinLock. */
    private void join(int handle, int channel) {
        Peer p = livePeer(handle);
        Channel c = channels.computeIfAbsent(channel, k -> new Channel());
        c.handle = handle;
        c.peer = p;
        p.channel = channel;
        if (c.early.size() > 0) {
            events.dataPushed(handle, c.early.toByteArray());
            c.early.reset();
        }
        if (c.closed) {
            p.disconnected = true;
            channels.remove(channel);
            events.remoteClosed(handle);
        }
        synchronized (p) {
            p.notifyAll();
        }
    }

    /**
     * The record a {@code +UUDPC} or connect event for {@code handle} belongs to. A record whose {@code +UUDPD} was seen
     * is a closed peer that its closer has not forgotten yet (socket closes run on the event thread, concurrently with
     * the next connect): the module has reused its handle, so the news is for a new peer, never for that one. Joining
     * it to the old record left the new connect waiting for a channel that had gone to the dead record.
     */
    private Peer livePeer(int handle) {
        return peers.compute(handle, (k, old) -> old == null || old.uudpdSeen ? new Peer(handle) : old);
    }

    @Override
    public void data(int channel, byte[] data) {
        synchronized (joinLock) {
            Channel c = channels.get(channel);
            if (c == null) {
                // No connect event announced this channel: nobody will ever read it, so keeping it would let a
                // broken module grow the heap without bound.
                log.warn("{}: dropped {} bytes of EDM data on channel {}, which no connect event opened",
                        link.name(), data.length, channel);
                return;
            }
            if (c.handle < 0) {
                if (c.early.size() + data.length > EARLY_LIMIT) {
                    log.warn("{}: dropped {} bytes on EDM channel {}: {} bytes already wait for its +UUDPC",
                            link.name(), data.length, channel, c.early.size());
                    return;
                }
                c.early.writeBytes(data);
                return;
            }
            events.dataPushed(c.handle, data);
        }
    }

    @Override
    public void disconnected(int channel) {
        synchronized (joinLock) {
            Channel c = channels.get(channel);
            if (c == null) {
                return;
            }
            if (c.handle < 0) {
                c.closed = true;
                return;
            }
            channels.remove(channel);
            Peer p = c.peer;
            if (p != null) {
                p.disconnected = true;
                synchronized (p) {
                    p.notifyAll();
                }
            }
            if (linkDown) {
                log.debug("{}: peer {} ended with the Wi-Fi link", at.name(), c.handle);
                return; // the bearer loss fails the socket with the reason
            }
            if (p != null && p.closing) {
                return; // our own close; a report could reach the next socket on this id
            }
            events.remoteClosed(c.handle);
        }
    }

    /** +UUDPD: the disconnect event carries the close of a joined peer; this one matters for a peer never joined. */
    private void peerDisconnected(int handle) {
        // A refused connect can end before its opener has read the handle: keep the news for it.
        Peer p = peers.computeIfAbsent(handle, Peer::new);
        p.uudpdSeen = true;
        p.disconnected = true;
        synchronized (p) {
            p.notifyAll();
        }
    }

    // ---- sockets ----

    @Override
    public int openTcp(String host, int port, Duration timeout, Cancellation cancel) throws IOException {
        if (!inEdm()) {
            throw new ModemException("sockets through the " + ctx.capabilities().model() + " need Extended Data Mode,"
                    + " and this modem was opened with nina.dataMode=command");
        }
        String url = "tcp://" + AtArgs.host(host) + ":" + AtArgs.port(port) + "/";
        long sent = births.incrementAndGet();
        int handle;
        try {
            String v = at.execute(AtCommand.of("AT+UDCP=\"" + url + "\"").expect("+UDCP:")
                    .timeout(timeoutOf("UDCP", COMMAND_TIMEOUT)).build(), cancel).value("+UDCP:");
            Integer h = v == null ? null : firstInt(v);
            if (h == null) {
                throw new ModemException("unexpected answer to AT+UDCP for " + host + ":" + port + ": " + v);
            }
            handle = h;
        } catch (AtException e) {
            throw new ModemException("TCP connect to " + host + ":" + port + " failed: the module refused AT+UDCP ("
                    + e.answer() + ")", e);
        }
        Peer p = peers.compute(handle, (k, old) -> old != null && old.born > sent ? old : new Peer(handle));
        long deadline = System.nanoTime() + timeout.toNanos();
        String gaveUp = null;
        synchronized (p) {
            // Never send a command while holding p: the reader thread notifies on it.
            while (p.channel < 0 && !p.disconnected && gaveUp == null) {
                long left = deadline - System.nanoTime();
                if (!at.isAlive()) {
                    gaveUp = "the modem is gone";
                } else if (cancel.isCancelled()) {
                    gaveUp = "cancelled";
                } else if (left <= 0) {
                    gaveUp = "waited " + timeout.toSeconds() + " s for the module to report the connection (+UUDPC):"
                            + " nothing answered there";
                } else {
                    try {
                        p.wait(Math.min(50, Math.max(1, left / 1_000_000)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        gaveUp = "interrupted";
                    }
                }
            }
        }
        if (gaveUp != null) {
            at.checkAlive();
            closeQuietly(handle);
            if (gaveUp.equals("interrupted")) {
                throw new java.io.InterruptedIOException("TCP connect to " + host + ":" + port + " interrupted");
            }
            throw new ModemException("TCP connect to " + host + ":" + port + " " + gaveUp);
        }
        if (p.channel < 0) {
            awaitUudpd(p);
            forget(handle, p);
            throw new java.net.ConnectException("TCP connect to " + host + ":" + port + " failed: the module reported"
                    + " the peer disconnected (+UUDPD:" + handle + ") before it connected: is anything listening"
                    + " there?");
        }
        return handle;
    }

    @Override
    public int send(int id, byte[] b, int off, int len, Cancellation cancel) throws IOException {
        Peer p = peers.get(id);
        if (p == null || p.channel < 0) {
            throw new ModemException("socket " + id + " is not open on the module");
        }
        if (p.disconnected) {
            throw new ModemException("socket " + id + ": the peer closed the connection");
        }
        if (!inEdm()) {
            // A data frame sent to a module in command mode would be taken as garbage text, not delivered.
            throw new ModemException("socket " + id + ": the module left Extended Data Mode (it restarted)");
        }
        byte[] frame = Edm.dataCommand(p.channel, b, off, len);
        link.writeRaw(frame, 0, frame.length);
        return len;
    }

    /**
     * Data is pushed in EDM data events, so there is nothing to fetch. The engine still calls this when a reader has
     * waited long: if the module has been quiet that long too, one {@code ATE0} checks that it still answers, so a silent
     * module fails the waiting sockets within the command timeout instead of never.
     */
    @Override
    public ReadChunk read(int id, int max) throws IOException {
        long quiet = System.nanoTime() - edm.lastHeardNanos();
        if (inEdm() && quiet > timeoutOf("probeAfter", PROBE_AFTER).toNanos()) {
            // ATE0 rather than AT: it changes nothing (echo is off), and unlike a plain AT its timeout makes the engine
            // probe the module and report it unresponsive, which fails every socket and starts the recovery.
            at.execute(AtCommand.of("ATE0").timeout(timeoutOf("probe", COMMAND_TIMEOUT)).build());
        }
        return ReadChunk.EMPTY;
    }

    @Override
    public void close(int id) throws IOException {
        Peer p = peers.get(id);
        try {
            if (p != null && !p.disconnected) {
                p.closing = true;
                at.execute(AtCommand.of("AT+UDCPC=" + id).timeout(timeoutOf("UDCPC", COMMAND_TIMEOUT)).build());
            }
            if (p != null) {
                awaitUudpd(p);
            }
        } catch (AtException e) {
            // The peer went away between our check and the command: it is closed either way.
            log.debug("{}: AT+UDCPC={} refused ({}): the peer is already gone", at.name(), id, e.getMessage());
        } finally {
            forget(id, p);
        }
    }

    /** Waits (briefly) for the peer's {@code +UUDPD}, which follows the close, so the handle is free of it. */
    private void awaitUudpd(Peer p) throws java.io.InterruptedIOException {
        long deadline = System.nanoTime() + timeoutOf("UUDPD", UUDPD_WAIT).toNanos();
        synchronized (p) {
            while (!p.uudpdSeen && at.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.debug("{}: no +UUDPD for peer {} after its close", at.name(), p.handle);
                    return;
                }
                try {
                    p.wait(Math.max(1, Math.min(50, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while closing peer " + p.handle);
                }
            }
        }
    }

    private void forget(int id, Peer p) {
        synchronized (joinLock) {
            peers.remove(id, p);
            if (p != null && p.channel >= 0) {
                Channel c = channels.get(p.channel);
                // Only its own channel: a new peer may already carry the same handle on the same channel.
                if (c != null && c.peer == p) {
                    channels.remove(p.channel);
                }
            }
        }
    }

    private void closeQuietly(int handle) {
        Peer p = peers.get(handle);
        if (p != null) {
            p.closing = true;
        }
        try {
            at.execute(AtCommand.of("AT+UDCPC=" + handle).timeout(timeoutOf("UDCPC", COMMAND_TIMEOUT)).build());
            if (p != null) {
                awaitUudpd(p);
            }
        } catch (IOException e) {
            log.debug("{}: closing peer {}: {}", at.name(), handle, e.getMessage());
        }
        forget(handle, p);
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return type.isInstance(ppp) ? Optional.of(type.cast(ppp)) : Optional.empty();
    }

    private static Integer firstInt(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = FIRST_INT.matcher(s);
        return m.matches() ? Integer.valueOf(m.group(1)) : null;
    }

    @Override
    public String toString() {
        return "NinaSession[" + ctx.capabilities().model() + (inEdm() ? ", EDM" : ", command mode") + "]";
    }
}
