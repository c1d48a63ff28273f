package dev.atmodem.testkit.sim.sim800;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.CmeErrors;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.NameTable;
import dev.atmodem.testkit.sim.PayloadSpec;
import dev.atmodem.testkit.sim.Reply;
import dev.atmodem.testkit.sim.SimConnection;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The six SIM800 connections (AT-REFERENCE §2B): {@code CIPSTART}, {@code CIPSEND} (normal and quick send),
 * {@code CIPRXGET} (manual receive) and push receive ({@code +RECEIVE}), {@code CIPCLOSE}, {@code CIPACK}, and the
 * per-connection part of {@code CIPSTATUS}. Runs under the simulator lock like the rest of the dialect.
 */
final class Sim800Sockets {

    static final int SOCKETS = Sim800Dialect.SOCKETS;

    private final Sim800Dialect modem;
    private final ModemContext ctx;
    private final Sim800Socket[] sockets = new Sim800Socket[SOCKETS];
    private int sendLimit = Sim800Dialect.MAX_SEND;
    private boolean quickSend;
    private boolean manualReceive;
    private boolean ssl;
    private boolean bareLfOk;

    Sim800Sockets(Sim800Dialect modem, ModemContext ctx) {
        this.modem = modem;
        this.ctx = ctx;
    }

    void sendLimit(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("send limit must be positive");
        }
        this.sendLimit = bytes;
    }

    void okAfterDataWithBareLf(boolean on) {
        bareLfOk = on;
    }

    boolean ssl() {
        return ssl;
    }

    void ssl(boolean on) {
        ssl = on;
    }

    /** {@code AT+CIPSHUT} or power-off: every connection goes without URCs, settings back to defaults. */
    void reset() {
        for (int i = 0; i < SOCKETS; i++) {
            if (sockets[i] != null) {
                sockets[i].closeConnection();
                sockets[i] = null;
            }
        }
    }

    /** Power-off also forgets the modes. */
    void powerOff() {
        reset();
        quickSend = false;
        manualReceive = false;
        ssl = false;
        sendLimit = Sim800Dialect.MAX_SEND;
    }

    boolean anyInUse() {
        for (Sim800Socket s : sockets) {
            if (s != null && s.inUse()) {
                return true;
            }
        }
        return false;
    }

    /** The bearer dropped: every connection is gone (its id reads CLOSED). */
    void bearerLost() {
        for (Sim800Socket s : sockets) {
            if (s != null && s.inUse()) {
                s.closeConnection();
                s.state = Sim800Socket.CLOSED;
                s.remoteClosed = true;
                if (Sim800Dialect.CLOSED_URC_ON_PDP_DEACT) {
                    ctx.urc(s.id + ", CLOSED");
                }
            }
        }
    }

    boolean remoteClose(int id) {
        Sim800Socket s = id >= 0 && id < SOCKETS ? sockets[id] : null;
        if (s == null || !Sim800Socket.CONNECTED.equals(s.state) || s.connection == null) {
            return false;
        }
        s.connection.closeAsRemote();
        return true;
    }

    void handle(AtCommand c, Reply r) {
        switch (c.name()) {
            case "+CIPSTART" -> cipstart(c, r);
            case "+CIPSEND" -> cipsend(c, r);
            case "+CIPQSEND" -> cipqsend(c, r);
            case "+CIPRXGET" -> ciprxget(c, r);
            case "+CIPCLOSE" -> cipclose(c, r);
            case "+CIPACK" -> cipack(c, r);
            default -> r.error();
        }
    }

    // ---- open ----

    private void cipstart(AtCommand c, Reply r) {
        if (c.form() == Form.TEST) {
            r.line("+CIPSTART: (0-5),(\"TCP\",\"UDP\"),(\"(0-255).(0-255).(0-255).(0-255)\",\"DOMAIN NAME\"),"
                    + "(\"(0-65535)\")").ok();
            return;
        }
        // multi-IP form only: <n>,"TCP","host",port (the single-IP form starts with the quoted mode)
        if (c.form() != Form.SET || !modem.ip().mux() || c.isQuoted(0) || c.argCount() != 4) {
            r.error();
            return;
        }
        int id = c.intArg(0, 0, SOCKETS - 1);
        String mode = c.stringArg(1).toUpperCase(Locale.ROOT);
        String host = c.stringArg(2);
        String portText = c.arg(3);
        if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) > 65535 || host.isEmpty()) {
            r.error();
            return;
        }
        int port = Integer.parseInt(portText);
        if (!mode.equals("TCP")) {
            r.error();   // UDP is not simulated
            return;
        }
        if (!modem.ip().canStart()) {
            r.error();
            return;
        }
        Sim800Socket old = sockets[id];
        if (old != null && old.inUse()) {
            if (Sim800Dialect.ALREADY_CONNECT_AFTER_OK) {
                r.ok();
            }
            r.line(id + ", ALREADY CONNECT");
            return;
        }
        Sim800Socket s = new Sim800Socket(id, host, port, ssl);
        sockets[id] = s;
        long gen = modem.generation;
        r.ok().then(() -> {
            if (NameTable.isIpv4(host)) {
                connect(s, host, gen);
                return;
            }
            ctx.schedule(ctx.conditions().rttMillis(), () -> {
                if (sockets[id] != s || gen != modem.generation || !s.inUse()) {
                    return;
                }
                Optional<List<String>> ips = ctx.names().resolve(host);
                if (ips.isEmpty()) {
                    connectFailed(s, "CONNECT FAIL");
                } else {
                    connect(s, ips.get().get(0), gen);
                }
            });
        });
    }

    private void connectFailed(Sim800Socket s, String text) {
        s.state = Sim800Socket.CLOSED;
        s.closeConnection();
        ctx.urc(s.id + ", " + text);
    }

    private void connect(Sim800Socket s, String ip, long gen) {
        s.remoteIp = ip;
        SimConnection.open(ctx, ip, s.port, Sim800Dialect.MAX_READ, Sim800Dialect.SEND_BUFFER, Sim800Dialect.RX_BUFFER,
                new SimConnection.Listener() {
                    @Override
                    public void data(byte[] chunk) {
                        received(s, chunk);
                    }

                    @Override
                    public void closed() {
                        if (sockets[s.id] == s && Sim800Socket.CONNECTED.equals(s.state)) {
                            s.state = Sim800Socket.CLOSED;
                            s.remoteClosed = true;
                            s.closeConnection();   // frees the socket and its writer thread
                            ctx.urc(s.id + ", CLOSED");
                        }
                    }
                }, (conn, failure) -> {
                    if (sockets[s.id] != s || gen != modem.generation || !Sim800Socket.CONNECTING.equals(s.state)) {
                        if (conn != null) {
                            conn.close();
                        }
                        return;
                    }
                    if (failure != null) {
                        connectFailed(s, "CONNECT FAIL");
                        return;
                    }
                    if (s.ssl) {
                        // a TLS 1.0-only firmware against a server that wants TLS 1.2+: the handshake fails
                        conn.close();
                        connectFailed(s, Sim800Dialect.SSL_HANDSHAKE_RESULT);
                        return;
                    }
                    s.connection = conn;
                    s.state = Sim800Socket.CONNECTED;
                    ctx.urc(s.id + ", CONNECT OK");
                    conn.start();
                });
    }

    // ---- receive ----

    private void received(Sim800Socket s, byte[] chunk) {
        if (sockets[s.id] != s) {
            return;
        }
        ctx.stats().addSocketReceived(s.id, chunk.length);
        if (!manualReceive) {
            SimConnection conn = s.connection;
            String header = String.format(Sim800Dialect.PUSH_HEADER, s.id, chunk.length);
            ctx.emitFramed(header.getBytes(StandardCharsets.ISO_8859_1), chunk, new byte[0],
                    conn == null ? null : () -> conn.release(chunk.length));
            return;
        }
        boolean wasEmpty = s.unread.isEmpty();
        s.unread.add(chunk);
        if (wasEmpty || !Sim800Dialect.RXGET_URC_ONLY_WHEN_EMPTY) {
            ctx.urc("+CIPRXGET: 1," + s.id);
        }
    }

    private void ciprxget(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+CIPRXGET: " + (manualReceive ? 1 : 0)).ok();
            case TEST -> r.line("+CIPRXGET: (0-4),(0-5),(1-" + Sim800Dialect.MAX_READ + ")").ok();
            case SET -> {
                int mode = c.intArg(0, 0, 4);
                if (mode <= 1) {
                    if (c.argCount() != 1) {
                        r.error();
                        return;
                    }
                    manualReceive = mode == 1;
                    r.ok();
                    return;
                }
                if (!manualReceive || !modem.ip().mux()) {
                    r.error();
                    return;
                }
                int id = c.intArg(1, 0, SOCKETS - 1);
                Sim800Socket s = sockets[id];
                if (!readable(s)) {
                    r.error();
                    return;
                }
                if (Sim800Dialect.RXGET_URC_INSIDE_READS && !s.unread.isEmpty()) {
                    r.line("+CIPRXGET: 1," + id);
                }
                if (mode == 4) {
                    r.line("+CIPRXGET: 4," + id + "," + s.unread.size()).ok();
                    return;
                }
                int max = mode == 3 ? Sim800Dialect.MAX_READ_HEX : Sim800Dialect.MAX_READ;
                int len = c.intArg(2, 1, max);
                byte[] data = s.unread.take(len);
                if (s.connection != null && data.length > 0) {
                    s.connection.release(data.length);
                }
                r.raw("\r\n+CIPRXGET: " + mode + "," + id + "," + data.length + "," + s.unread.size() + "\r\n");
                if (mode == 2) {
                    r.raw(data);
                } else {
                    String hex = HexFormat.of().formatHex(data);
                    r.raw(Sim800Dialect.RXGET_HEX_UPPER ? hex.toUpperCase(Locale.ROOT) : hex);
                }
                boolean bareLf = bareLfOk && data.length > 0;
                r.raw(bareLf ? Sim800Dialect.RXGET_AFTER_DATA_BARE_LF : Sim800Dialect.RXGET_AFTER_DATA);
            }
            default -> r.error();
        }
    }

    private static boolean readable(Sim800Socket s) {
        if (s == null || Sim800Socket.CONNECTING.equals(s.state)) {
            return false;
        }
        if (Sim800Socket.CONNECTED.equals(s.state)) {
            return true;
        }
        return s.remoteClosed && Sim800Dialect.RX_READABLE_AFTER_REMOTE_CLOSE && !s.unread.isEmpty();
    }

    // ---- send ----

    private void cipqsend(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+CIPQSEND: " + (quickSend ? 1 : 0)).ok();
            case TEST -> r.line("+CIPQSEND: (0,1)").ok();
            case SET -> {
                quickSend = c.intArg(0, 0, 1) == 1;
                r.ok();
            }
            default -> r.error();
        }
    }

    private void cipsend(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> {
                for (int n = 0; n < SOCKETS; n++) {
                    Sim800Socket s = sockets[n];
                    boolean up = s != null && Sim800Socket.CONNECTED.equals(s.state);
                    r.line("+CIPSEND: " + n + "," + (up ? sendLimit : Sim800Dialect.CIPSEND_SIZE_UNCONNECTED));
                }
                r.ok();
            }
            case TEST -> r.line("+CIPSEND: (0-" + (SOCKETS - 1) + ")," + sendLimit).ok();
            case SET -> send(c, r);
            default -> r.error();
        }
    }

    private void send(AtCommand c, Reply r) {
        if (!modem.ip().mux() || c.argCount() > 2) {
            r.error();
            return;
        }
        int id = c.intArg(0, 0, SOCKETS - 1);
        PayloadSpec spec;
        if (c.hasArg(1)) {
            int len = c.intArg(1);
            if (len < 1 || len > sendLimit) {
                r.error();
                return;
            }
            spec = PayloadSpec.exactly(len);
        } else {
            spec = PayloadSpec.untilCtrlZ(sendLimit);
        }
        Sim800Socket s = sockets[id];
        if (s == null || !Sim800Socket.CONNECTED.equals(s.state)) {
            r.error();
            return;
        }
        r.prompt(Sim800Dialect.SEND_PROMPT, spec, (data, cancelled, pr) -> {
            if (cancelled) {
                pr.line(Sim800Dialect.SEND_CANCELLED_RESULT);
            } else if (sockets[id] != s || !Sim800Socket.CONNECTED.equals(s.state)) {
                pr.error();
            } else if (ctx.faults().takeSendFailure() || !s.connection.send(data)) {
                pr.line(id + ", SEND FAIL");
            } else {
                ctx.stats().addSocketSent(id, data.length);
                if (quickSend) {
                    // quick send: accepted into the modem's buffer
                    pr.line("DATA ACCEPT:" + id + "," + data.length);
                } else {
                    // normal send: SEND OK once the peer acknowledged, a round trip later
                    pr.pause(Sim800Dialect.SEND_OK_WAITS_FOR_ACK ? ctx.conditions().rttMillis() : 0)
                            .line(id + ", SEND OK");
                }
            }
        });
    }

    private void cipack(AtCommand c, Reply r) {
        if (c.form() != Form.SET || !modem.ip().mux()) {
            r.error();
            return;
        }
        Sim800Socket s = sockets[c.intArg(0, 0, SOCKETS - 1)];
        if (s == null || s.connection == null) {
            r.error();
            return;
        }
        long sent = s.connection.totalSent();
        long acked = s.connection.acked();
        r.line("+CIPACK: " + sent + "," + acked + "," + (sent - acked)).ok();
    }

    // ---- close and status ----

    private void cipclose(AtCommand c, Reply r) {
        if (c.form() == Form.TEST) {
            r.ok();
            return;
        }
        if (c.form() != Form.SET || !modem.ip().mux()) {
            r.error();
            return;
        }
        int id = c.intArg(0, 0, SOCKETS - 1);
        int quick = c.hasArg(1) ? c.intArg(1, 0, 1) : 0;
        Sim800Socket s = sockets[id];
        if (s == null || !s.inUse()) {
            if (Sim800Dialect.CIPCLOSE_UNCONNECTED_IS_CME) {
                r.cmeError(CmeErrors.OPERATION_NOT_ALLOWED);
            } else {
                r.error();
            }
            return;
        }
        s.closeConnection();
        s.state = Sim800Socket.CLOSED;
        s.unread.clear();
        // a slow close waits for the FIN exchange, a quick one does not
        r.pause(quick == 1 ? 0 : ctx.conditions().rttMillis()).line(id + ", CLOSE OK");
    }

    /** {@code <n>,<bearer>,"TCP","<ip>","<port>","<state>"} for {@code C:} and {@code +CIPSTATUS:} lines. */
    String statusFields(int n) {
        Sim800Socket s = sockets[n];
        if (s == null) {
            return String.format(Sim800Dialect.STATUS_UNUSED, n);
        }
        String ip = s.remoteIp != null ? s.remoteIp : s.host;
        return n + ",0,\"TCP\",\"" + ip + "\",\"" + s.port + "\",\"" + s.state + "\"";
    }
}
