package dev.atmodem.testkit.sim.ublox;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.NameTable;
import dev.atmodem.testkit.sim.PayloadSpec;
import dev.atmodem.testkit.sim.Reply;
import dev.atmodem.testkit.sim.SimConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The SARA socket commands (AT-REFERENCE §3B-§3C): module-assigned ids 0..6 ({@code AT+USOCR}), sync and async
 * {@code AT+USOCO}, {@code AT+USOWR} (binary {@code @} prompt, base and HEX syntax), {@code AT+USORD},
 * {@code AT+USOCL}, {@code AT+USOER}, {@code AT+USOCTL}, {@code AT+UDCONF=1} (HEX mode), and the URCs the network
 * raises: {@code +UUSORD} (buffer empty to non-empty, and after a partial read), {@code +UUSOCL} (only once the
 * buffered data was read, QUIRKS 12), {@code +UUSOCO}.
 */
final class SaraSockets {

    private static final int SOCKETS = SaraDialect.SOCKETS;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private final SaraDialect modem;
    private final ModemContext ctx;
    private final SaraSocket[] sockets = new SaraSocket[SOCKETS];
    private final List<Integer> heldCloseUrcs = new ArrayList<>();
    private int lastError;
    private boolean hexMode;
    private int connectAttempt;

    // knobs; they survive reboots
    private int firstId = SaraDialect.FIRST_SOCKET_ID;
    private boolean omitUusordAfterRead;
    private boolean okWithoutCrlfAfterRead;
    private int shortWrites;
    private int promptWait = SaraDialect.PROMPT_WAIT_MILLIS;
    private boolean closeUrcInsideNextCommand;

    SaraSockets(SaraDialect modem, ModemContext ctx) {
        this.modem = modem;
        this.ctx = ctx;
    }

    void firstId(int id) {
        if (id < 0 || id >= SOCKETS) {
            throw new IllegalArgumentException("socket ids are 0.." + (SOCKETS - 1));
        }
        firstId = id;
    }

    void omitUusordAfterRead(boolean on) {
        omitUusordAfterRead = on;
    }

    void okWithoutCrlfAfterRead(boolean on) {
        okWithoutCrlfAfterRead = on;
    }

    void shortWrites(int max) {
        shortWrites = Math.max(0, max);
    }

    void promptWait(int millis) {
        promptWait = Math.max(0, millis);
    }

    void closeUrcInsideNextCommand(boolean on) {
        closeUrcInsideNextCommand = on;
    }

    /** Power-off or radio off: every socket goes, without URCs. */
    void closeAll() {
        for (int i = 0; i < SOCKETS; i++) {
            if (sockets[i] != null) {
                sockets[i].closeConnection();
                sockets[i] = null;
            }
        }
        heldCloseUrcs.clear();
    }

    /** Power-off: sockets, settings and the last error go. */
    void reset() {
        closeAll();
        lastError = 0;
        hexMode = false;
    }

    /** The bearer dropped: every socket loses its connection and data; the ids stay taken until {@code USOCL}. */
    void bearerLost() {
        for (SaraSocket s : sockets) {
            if (s == null || s.dead) {
                continue;
            }
            s.closeConnection();
            s.dead = true;
            s.connectPending = false;
            s.tcpState = SaraSocket.CLOSED;
            s.unread.clear();
            if (SaraDialect.UUSOCL_ON_BEARER_LOSS) {
                release(s);
            }
        }
    }

    boolean remoteClose(int id) {
        SaraSocket s = id >= 0 && id < SOCKETS ? sockets[id] : null;
        if (s == null || !s.connected()) {
            return false;
        }
        s.connection.closeAsRemote();
        return true;
    }

    /** QUIRKS 9: close URCs held back by the knob land inside the next command's response, before its answer. */
    void beforeCommand(Reply r) {
        for (int id : heldCloseUrcs) {
            r.line("+UUSOCL: " + id);
        }
        heldCloseUrcs.clear();
    }

    void handle(AtCommand c, Reply r) {
        if (c.form() == Form.TEST) {
            r.ok();
            return;
        }
        if (c.form() != Form.SET) {
            if (c.name().equals("+USOER")) {
                r.line("+USOER: " + lastError).ok();
            } else {
                r.error();
            }
            return;
        }
        switch (c.name()) {
            case "+USOCR" -> usocr(c, r);
            case "+USOCO" -> usoco(c, r);
            case "+USOWR" -> usowr(c, r);
            case "+USORD" -> usord(c, r);
            case "+USOCL" -> usocl(c, r);
            case "+USOCTL" -> usoctl(c, r);
            case "+UDCONF" -> udconf(c, r);
            default -> r.error();
        }
    }

    private void fail(SaraSocket s, int error, Reply r, int cme) {
        lastError = error;
        if (s != null) {
            s.lastError = error;
        }
        r.cmeError(cme);
    }

    private void usocr(AtCommand c, Reply r) {
        int protocol = c.intArg(0);
        if (c.hasArg(1)) {
            c.intArg(1, 0, 65535);
        }
        if (protocol == UDP) {
            fail(null, SaraErrors.INVALID, r, SaraDialect.UNSUPPORTED_CME);
            return;
        }
        if (protocol != TCP) {
            fail(null, SaraErrors.INVALID, r, SaraDialect.RANGE_CME);
            return;
        }
        for (int k = 0; k < SOCKETS; k++) {
            int id = (firstId + k) % SOCKETS;
            if (sockets[id] == null) {
                sockets[id] = new SaraSocket(id, protocol);
                r.line("+USOCR: " + id).ok();
                return;
            }
        }
        fail(null, SaraErrors.INVALID, r, SaraDialect.SOCKET_CME);   // UNCONFIRMED: all seven in use
    }

    private SaraSocket socket(AtCommand c) {
        return sockets[c.intArg(0, 0, SOCKETS - 1)];
    }

    private void usoco(AtCommand c, Reply r) {
        SaraSocket s = socket(c);
        String host = c.stringArg(1);
        int port = c.intArg(2, 1, 65535);
        boolean async = c.hasArg(3) && c.intArg(3, 0, 1) == 1;
        if (async && !modem.model().asyncSocketOps()) {
            fail(s, SaraErrors.INVALID, r, SaraDialect.UNSUPPORTED_CME);
            return;
        }
        for (SaraSocket p : sockets) {
            if (p != null && p.connectPending) {
                // "the socket will be closed if a further +USOCO is issued before +UUSOCO of the first" (§3B)
                p.connectPending = false;
                p.closeConnection();
                p.tcpState = SaraSocket.CLOSED;
                fail(s, SaraErrors.INVALID, r, SaraDialect.SOCKET_CME);
                return;
            }
        }
        if (s == null || s.dead || s.tcpState != SaraSocket.CLOSED || s.remoteClosed) {
            fail(s, SaraErrors.INVALID, r, SaraDialect.SOCKET_CME);
            return;
        }
        String ip = host;
        if (!NameTable.isIpv4(host)) {
            Optional<List<String>> ips = SaraDialect.USOCO_ACCEPTS_NAMES ? ctx.names().resolve(host)
                    : Optional.empty();
            if (ips.isEmpty()) {
                connectFailed(s, SaraErrors.HOST_UNREACHABLE, async, r);
                return;
            }
            ip = ips.get().get(0);
        }
        if (!modem.registered() || !modem.dataActive()) {
            connectFailed(s, SaraErrors.HOST_UNREACHABLE, async, r);
            return;
        }
        s.tcpState = SaraSocket.SYN_SENT;
        s.remoteIp = ip;
        s.remotePort = port;
        s.connectPending = async;
        int attempt = ++connectAttempt;
        long gen = modem.generation;
        if (async) {
            r.ok();
        }
        String target = ip;
        r.then(() -> SimConnection.open(ctx, target, port, SaraDialect.MAX_READ, SaraDialect.SEND_BUFFER,
                SaraDialect.RECEIVE_WINDOW, listener(s), (conn, failure) -> {
                    boolean current = sockets[s.id] == s && gen == modem.generation && !s.dead
                            && s.tcpState == SaraSocket.SYN_SENT && attempt == connectAttempt
                            && (!async || s.connectPending);
                    if (!current) {
                        if (conn != null) {
                            conn.close();
                        }
                        if (!async && gen == modem.generation) {
                            // the socket went (bearer loss, close) while the host waits: a sync USOCO still ends
                            ctx.emit(Reply.frame(modem.cmeLine(SaraDialect.SOCKET_CME)));
                        }
                        return;
                    }
                    s.connectPending = false;
                    if (failure != null) {
                        s.tcpState = SaraSocket.CLOSED;
                        int err = failure == SimConnection.Failure.REFUSED ? SaraErrors.CONNECTION_REFUSED
                                : SaraErrors.TIMED_OUT;
                        lastError = err;
                        s.lastError = err;
                        if (async) {
                            ctx.urc("+UUSOCO: " + s.id + "," + err);
                        } else {
                            ctx.emit(Reply.frame(modem.cmeLine(SaraDialect.SOCKET_CME)));
                        }
                        return;
                    }
                    s.connection = conn;
                    s.tcpState = SaraSocket.ESTABLISHED;
                    if (async) {
                        ctx.urc("+UUSOCO: " + s.id + ",0");
                    } else {
                        ctx.emit(Reply.frame("OK"));
                    }
                    conn.start();
                }));
    }

    private void connectFailed(SaraSocket s, int err, boolean async, Reply r) {
        lastError = err;
        s.lastError = err;
        if (async) {
            r.ok().then(() -> ctx.schedule(ctx.conditions().rttMillis(),
                    () -> ctx.urc("+UUSOCO: " + s.id + "," + err)));
        } else {
            r.pause(ctx.conditions().rttMillis()).cmeError(SaraDialect.SOCKET_CME);
        }
    }

    private SimConnection.Listener listener(SaraSocket s) {
        return new SimConnection.Listener() {
            @Override
            public void data(byte[] chunk) {
                received(s, chunk);
            }

            @Override
            public void closed() {
                if (sockets[s.id] != s || s.dead || s.remoteClosed) {
                    return;
                }
                s.remoteClosed = true;
                s.tcpState = SaraSocket.CLOSE_WAIT;
                if (s.unread.isEmpty() && !s.writePending) {
                    release(s);
                }
            }
        };
    }

    private void received(SaraSocket s, byte[] chunk) {
        if (sockets[s.id] != s || s.dead) {
            return;
        }
        ctx.stats().addSocketReceived(s.id, chunk.length);
        s.received += chunk.length;
        boolean wasEmpty = s.unread.isEmpty();
        s.unread.add(chunk);
        if (!wasEmpty) {
            return;   // edge-triggered: only when the buffer goes from empty to non-empty (§3B)
        }
        if (omitUusordAfterRead && s.drainedByRead) {
            s.drainedByRead = false;   // QUIRKS 11: the data "arrived during a read"; no URC
            return;
        }
        s.drainedByRead = false;
        ctx.urc("+UUSORD: " + s.id + "," + s.unread.size());
    }

    /** The socket id is released and {@code +UUSOCL} goes out (or is held for the next command, QUIRKS 9). */
    private void release(SaraSocket s) {
        s.closeConnection();
        sockets[s.id] = null;
        if (closeUrcInsideNextCommand) {
            heldCloseUrcs.add(s.id);
        } else {
            ctx.urc("+UUSOCL: " + s.id);
        }
    }

    private void usowr(AtCommand c, Reply r) {
        SaraSocket s = socket(c);
        int len = c.intArg(1);
        if (c.argCount() >= 3) {
            inlineWrite(s, len, c, r);
            return;
        }
        if (len < 1 || len > SaraDialect.MAX_WRITE) {
            fail(s, SaraErrors.INVALID, r, SaraDialect.RANGE_CME);
            return;
        }
        if (!writable(s, r)) {
            return;
        }
        s.writePending = true;
        r.prompt(SaraDialect.WRITE_PROMPT, PayloadSpec.exactly(len), (payload, cancelled, pr) -> {
            s.writePending = false;
            if (sockets[s.id] != s || !s.connected()) {
                // "If a binary USOWR is waiting for data when the peer closes, an error is returned first, then
                // +UUSOCL" (§3B)
                fail(s, s.remoteClosed ? SaraErrors.CONNECTION_RESET : SaraErrors.NOT_CONNECTED, pr,
                        SaraDialect.SOCKET_CME);
                if (s.remoteClosed) {
                    pr.then(() -> {
                        if (sockets[s.id] == s && s.unread.isEmpty()) {
                            release(s);
                        }
                    });
                }
                return;
            }
            deliver(s, payload, pr);
        }).promptGuard(promptWait);
    }

    /** Base syntax {@code AT+USOWR=<s>,<len>,"<data>"}; in HEX mode the data is 2*len hex digits (max 512). */
    private void inlineWrite(SaraSocket s, int len, AtCommand c, Reply r) {
        String text = c.stringArg(2);
        int max = hexMode ? SaraDialect.MAX_WRITE_HEX : SaraDialect.MAX_WRITE;
        byte[] payload;
        try {
            payload = hexMode ? HexFormat.of().parseHex(text) : text.getBytes(StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            fail(s, SaraErrors.INVALID, r, SaraDialect.RANGE_CME);
            return;
        }
        if (len < 1 || len > max || payload.length != len) {
            fail(s, SaraErrors.INVALID, r, SaraDialect.RANGE_CME);
            return;
        }
        if (writable(s, r)) {
            deliver(s, payload, r);
        }
    }

    /** Checks a write before any data moves; answers the error itself when the socket cannot take one. */
    private boolean writable(SaraSocket s, Reply r) {
        if (s == null) {
            fail(null, SaraErrors.INVALID, r, SaraDialect.SOCKET_CME);
            return false;
        }
        if (!s.connected()) {
            fail(s, s.remoteClosed ? SaraErrors.CONNECTION_RESET : SaraErrors.NOT_CONNECTED, r,
                    SaraDialect.SOCKET_CME);
            return false;
        }
        if (ctx.faults().takeSendFailure()) {
            // QUIRKS 16: the modem answers "Operation not allowed" to AT+USOWR; USOER says the queue is full
            fail(s, SaraErrors.QUEUE_FULL, r, SaraDialect.SOCKET_CME);
            return false;
        }
        return true;
    }

    private void deliver(SaraSocket s, byte[] payload, Reply r) {
        int n = shortWrites > 0 ? Math.min(shortWrites, payload.length) : payload.length;
        byte[] accepted = n == payload.length ? payload : java.util.Arrays.copyOf(payload, n);
        if (!s.connection.send(accepted)) {
            fail(s, SaraErrors.QUEUE_FULL, r, SaraDialect.SOCKET_CME);
            return;
        }
        s.sent += n;
        ctx.stats().addSocketSent(s.id, n);
        r.line("+USOWR: " + s.id + "," + n).ok();
    }

    private void usord(AtCommand c, Reply r) {
        SaraSocket s = socket(c);
        int len = c.intArg(1);
        if (s == null || s.dead) {
            fail(s, SaraErrors.INVALID, r, SaraDialect.SOCKET_CME);
            return;
        }
        if (len == 0) {
            r.line("+USORD: " + s.id + "," + s.unread.size()).ok();
            return;
        }
        if (len > SaraDialect.MAX_READ) {
            fail(s, SaraErrors.INVALID, r, SaraDialect.RANGE_CME);
            return;
        }
        byte[] data = s.unread.take(len);
        if (data.length == 0) {
            r.line(modem.model().emptyReadOmitsLength() ? "+USORD: " + s.id + ",\"\""
                    : String.format(SaraDialect.R5_EMPTY_READ, s.id)).ok();
            return;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(data.length * 2 + 32);
        b.writeBytes(("\r\n+USORD: " + s.id + "," + data.length + ",\"").getBytes(StandardCharsets.ISO_8859_1));
        if (hexMode) {
            String hex = HexFormat.of().formatHex(data);
            b.writeBytes((SaraDialect.HEX_UPPER_CASE ? hex.toUpperCase(java.util.Locale.ROOT) : hex)
                    .getBytes(StandardCharsets.ISO_8859_1));
        } else {
            b.writeBytes(data);
        }
        String end = okWithoutCrlfAfterRead ? SaraDialect.READ_END_QUIRK : "\"\r\n\r\nOK\r\n";
        b.writeBytes(end.getBytes(StandardCharsets.ISO_8859_1));
        r.raw(b.toByteArray());
        if (s.connection != null && !s.remoteClosed) {
            s.connection.release(data.length);
        }
        if (!s.unread.isEmpty()) {
            // "... or after a partial read by the user" (§3B)
            r.then(() -> {
                if (sockets[s.id] == s && !s.unread.isEmpty()) {
                    ctx.urc("+UUSORD: " + s.id + "," + s.unread.size());
                }
            });
        } else if (s.remoteClosed) {
            r.then(() -> {
                if (sockets[s.id] == s && s.unread.isEmpty()) {
                    release(s);
                }
            });
        } else {
            s.drainedByRead = true;
        }
    }

    private void usocl(AtCommand c, Reply r) {
        SaraSocket s = socket(c);
        boolean async = c.hasArg(1) && c.intArg(1, 0, 1) == 1;
        if (async && !modem.model().asyncSocketOps()) {
            fail(s, SaraErrors.INVALID, r, SaraDialect.UNSUPPORTED_CME);
            return;
        }
        if (s == null || s.closing) {
            if (SaraDialect.USOCL_AFTER_UUSOCL_IS_ERROR) {
                fail(null, SaraErrors.INVALID, r, SaraDialect.SOCKET_CME);
            } else {
                r.ok();
            }
            return;
        }
        s.closeConnection();
        s.closing = true;
        s.connectPending = false;
        s.tcpState = SaraSocket.CLOSED;
        s.unread.clear();
        if (!async) {
            sockets[s.id] = null;
            r.pause(ctx.conditions().halfRttMillis()).ok();
            return;
        }
        r.ok().then(() -> ctx.schedule(ctx.conditions().halfRttMillis(), () -> {
            if (sockets[s.id] == s) {
                sockets[s.id] = null;
                ctx.urc("+UUSOCL: " + s.id);
            }
        }));
    }

    private void usoctl(AtCommand c, Reply r) {
        SaraSocket s = socket(c);
        int param = c.intArg(1);
        if (s == null) {
            fail(null, SaraErrors.INVALID, r, SaraDialect.SOCKET_CME);
            return;
        }
        String head = "+USOCTL: " + s.id + "," + param + ",";
        switch (param) {
            case 0 -> r.line(head + s.protocol).ok();
            case 1 -> r.line(head + s.lastError).ok();
            case 2 -> r.line(head + s.sent).ok();
            case 3 -> r.line(head + s.received).ok();
            case 4 -> {
                if (s.remoteIp == null) {
                    fail(s, SaraErrors.NOT_CONNECTED, r, SaraDialect.SOCKET_CME);
                } else {
                    r.line(head + "\"" + s.remoteIp + "\"," + s.remotePort).ok();
                }
            }
            case 10 -> r.line(head + s.tcpState).ok();
            case 11 -> r.line(head + (s.connection == null || !s.connected() ? 0 : s.connection.unacked())).ok();
            default -> fail(s, SaraErrors.INVALID, r, SaraDialect.UNSUPPORTED_CME);
        }
    }

    /** {@code AT+UDCONF=1[,<0|1>]}: HEX mode for USOWR base syntax and USORD. Other keys are accepted and ignored. */
    private void udconf(AtCommand c, Reply r) {
        int key = c.intArg(0);
        if (key != 1) {
            r.ok();
            return;
        }
        if (c.argCount() == 1) {
            r.line("+UDCONF: 1," + (hexMode ? 1 : 0)).ok();
            return;
        }
        hexMode = c.intArg(1, 0, 1) == 1;
        r.ok();
    }
}
