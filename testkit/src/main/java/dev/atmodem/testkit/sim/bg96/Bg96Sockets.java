package dev.atmodem.testkit.sim.bg96;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.NameTable;
import dev.atmodem.testkit.sim.PayloadSpec;
import dev.atmodem.testkit.sim.Reply;
import dev.atmodem.testkit.sim.SimConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The BG96 socket commands (AT-REFERENCE §1B): the twelve connectID slots, {@code QIOPEN}, {@code QISEND},
 * {@code QIRD}, {@code QICLOSE}, {@code QISTATE}, and the URCs the network side raises. Runs under the simulator lock
 * like the rest of the dialect.
 */
final class Bg96Sockets {

    static final int SOCKETS = Bg96Dialect.SOCKETS;
    private static final byte[] PROMPT = {'\r', '\n', '>', ' '};
    private static final byte[] CRLF = {'\r', '\n'};

    private final Bg96Dialect modem;
    private final ModemContext ctx;
    private final Bg96Socket[] sockets = new Bg96Socket[SOCKETS];

    Bg96Sockets(Bg96Dialect modem, ModemContext ctx) {
        this.modem = modem;
        this.ctx = ctx;
    }

    /** Drops every socket without URCs (power-off, radio off). */
    void closeAll() {
        for (int i = 0; i < SOCKETS; i++) {
            if (sockets[i] != null) {
                sockets[i].closeConnection();
                sockets[i] = null;
            }
        }
    }

    /** Drops the sockets of one context without URCs ({@code AT+QIDEACT}). */
    void closeContext(int contextId) {
        for (int i = 0; i < SOCKETS; i++) {
            if (sockets[i] != null && sockets[i].contextId == contextId) {
                sockets[i].closeConnection();
                sockets[i] = null;
            }
        }
    }

    /** The bearer of {@code contextId} dropped: its sockets lose their connections and wait in "Closing". */
    void bearerLost(int contextId) {
        for (Bg96Socket s : sockets) {
            if (s != null && s.contextId == contextId && s.state != Bg96Socket.CLOSING) {
                s.closeConnection();
                s.state = Bg96Socket.CLOSING;
                if (Bg96Dialect.CLOSED_URC_ON_PDPDEACT) {
                    ctx.urc("+QIURC: \"closed\"," + s.id);
                }
            }
        }
    }

    boolean remoteClose(int id) {
        Bg96Socket s = id >= 0 && id < SOCKETS ? sockets[id] : null;
        if (s == null || s.state != Bg96Socket.CONNECTED) {
            return false;
        }
        s.connection.closeAsRemote();
        return true;
    }

    void qiopen(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int ctxId = c.intArg(0, 1, Bg96Dialect.MAX_CONTEXT);
        int id = c.intArg(1, 0, SOCKETS - 1);
        String type = c.stringArg(2);
        String host = c.stringArg(3);
        int port = c.intArg(4, 0, 65535);
        if (c.hasArg(5)) {
            c.intArg(5, 0, 65535);
        }
        int mode = c.hasArg(6) ? c.intArg(6, 0, 2) : 0;
        if (!Set.of("TCP", "UDP", "TCP LISTENER", "UDP SERVICE").contains(type)) {
            throw new AtCommand.BadCommandException("service type " + type);
        }
        r.ok();
        if (sockets[id] != null) {
            r.then(() -> openResult(id, Bg96Errors.SOCKET_ID_USED));
            return;
        }
        if (!type.equals("TCP") || mode == 2) {
            r.then(() -> openResult(id, Bg96Errors.OPERATION_NOT_SUPPORTED));
            return;
        }
        if (!modem.active(ctxId)) {
            r.then(() -> openResult(id, Bg96Dialect.ERR_QIOPEN_CONTEXT_INACTIVE));
            return;
        }
        Bg96Socket s = new Bg96Socket(id, ctxId, type, host, port, mode);
        sockets[id] = s;
        long gen = modem.generation;
        r.then(() -> {
            if (NameTable.isIpv4(host)) {
                connect(s, host, gen);
            } else {
                ctx.schedule(ctx.conditions().rttMillis(), () -> {
                    Optional<List<String>> ips = ctx.names().resolve(host);
                    if (sockets[id] != s || gen != modem.generation) {
                        return;
                    }
                    if (ips.isEmpty()) {
                        sockets[id] = null;
                        openResult(id, Bg96Errors.DNS_PARSE_FAILED);
                    } else {
                        connect(s, ips.get().get(0), gen);
                    }
                });
            }
        });
    }

    private void openResult(int id, int err) {
        if (err != 0) {
            modem.lastError = err;
        }
        ctx.urc("+QIOPEN: " + id + "," + err);
    }

    private void connect(Bg96Socket s, String ip, long gen) {
        s.remoteIp = ip;
        SimConnection.open(ctx, ip, s.remotePort, Bg96Dialect.MAX_READ, Bg96Dialect.SEND_BUFFER, Bg96Dialect.RECEIVE_WINDOW, new SimConnection.Listener() {
            @Override
            public void data(byte[] chunk) {
                received(s, chunk);
            }

            @Override
            public void closed() {
                if (sockets[s.id] == s && s.state == Bg96Socket.CONNECTED) {
                    s.state = Bg96Socket.CLOSING;
                    ctx.urc("+QIURC: \"closed\"," + s.id);
                }
            }
        }, (conn, failure) -> {
            if (sockets[s.id] != s || gen != modem.generation || s.state != Bg96Socket.OPENING) {
                if (conn != null) {
                    conn.close();
                }
                return;
            }
            if (failure != null) {
                sockets[s.id] = null;
                openResult(s.id, Bg96Errors.SOCKET_CONNECT_FAILED);
                return;
            }
            s.connection = conn;
            s.state = Bg96Socket.CONNECTED;
            openResult(s.id, Bg96Errors.OK);
            conn.start();
        });
    }

    private void received(Bg96Socket s, byte[] chunk) {
        if (sockets[s.id] != s) {
            return;
        }
        ctx.stats().addSocketReceived(s.id, chunk.length);
        s.totalReceived += chunk.length;
        if (s.accessMode == 1) {
            // direct push: header, data (and maybe CRLF) straight to the host
            s.haveRead += chunk.length;
            byte[] head = ("\r\n+QIURC: \"recv\"," + s.id + "," + chunk.length + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            SimConnection conn = s.connection;
            ctx.emitFramed(head, chunk, Bg96Dialect.PUSH_DATA_TRAILING_CRLF ? CRLF : new byte[0],
                    () -> conn.release(chunk.length));
            return;
        }
        boolean wasEmpty = s.unread.isEmpty();
        s.unread.add(chunk);
        if (wasEmpty) {
            // edge-triggered: only on empty -> non-empty (AT-REFERENCE §1B, QUIRKS 11)
            ctx.urc("+QIURC: \"recv\"," + s.id);
        }
    }

    private Bg96Socket socket(AtCommand c) {
        int id = c.intArg(0, 0, SOCKETS - 1);
        return sockets[id];
    }

    void qisend(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        Bg96Socket s = socket(c);
        if (c.argCount() > 2) {
            r.error();   // UDP SERVICE form: not simulated
            return;
        }
        if (c.argCount() == 2 && c.intArg(1) == 0) {
            if (s == null) {
                r.error();
                return;
            }
            long sent = s.connection == null ? 0 : s.connection.totalSent();
            long acked = s.connection == null ? 0 : s.connection.acked();
            r.line("+QISEND: " + sent + "," + acked + "," + (sent - acked)).ok();
            return;
        }
        PayloadSpec spec;
        if (c.argCount() == 2) {
            int len = c.intArg(1);
            if (len > Bg96Dialect.MAX_SEND) {
                r.error();
                return;
            }
            spec = PayloadSpec.exactly(len);
        } else {
            spec = PayloadSpec.untilCtrlZ(Bg96Dialect.MAX_SEND);
        }
        if (s == null || s.state != Bg96Socket.CONNECTED) {
            modem.lastError = Bg96Errors.SOCKET_CLOSED;
            r.error();
            return;
        }
        r.prompt(PROMPT, spec, (data, cancelled, pr) -> {
            if (cancelled) {
                pr.line(Bg96Dialect.SEND_CANCELLED_RESULT);
            } else if (sockets[s.id] != s || s.state != Bg96Socket.CONNECTED) {
                modem.lastError = Bg96Errors.SOCKET_CLOSED;
                pr.error();
            } else if (ctx.faults().takeSendFailure() || !s.connection.send(data)) {
                pr.line("SEND FAIL");
            } else {
                ctx.stats().addSocketSent(s.id, data.length);
                pr.line("SEND OK");
            }
        });
    }

    void qird(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        Bg96Socket s = socket(c);
        if (s == null || s.accessMode != 0 || s.state == Bg96Socket.OPENING) {
            r.error();
            return;
        }
        int len = Bg96Dialect.MAX_READ;
        if (c.hasArg(1)) {
            len = c.intArg(1);
            if (len == 0) {
                r.line("+QIRD: " + s.totalReceived + "," + s.haveRead + "," + s.unread.size()).ok();
                return;
            }
            if (len > Bg96Dialect.MAX_READ) {
                r.error();
                return;
            }
        }
        byte[] data = s.unread.take(len);
        s.haveRead += data.length;
        r.line("+QIRD: " + data.length);
        if (data.length > 0) {
            r.raw(data).raw(CRLF);
            if (s.connection != null) {
                s.connection.release(data.length);
            }
        }
        r.ok();
    }

    void qiclose(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int id = c.intArg(0, 0, SOCKETS - 1);
        if (c.hasArg(1)) {
            c.intArg(1, 0, 65535);
        }
        Bg96Socket s = sockets[id];
        if (s != null) {
            s.closeConnection();
            sockets[id] = null;
        }
        r.ok();
    }

    void qistate(AtCommand c, Reply r) {
        if (c.form() == Form.SET) {
            int kind = c.intArg(0, 0, 1);
            int which = c.intArg(1);
            for (Bg96Socket s : sockets) {
                if (s != null && (kind == 1 ? s.id == which : s.contextId == which)) {
                    r.line(stateLine(s));
                }
            }
            r.ok();
        } else if (c.form() == Form.READ || c.form() == Form.EXEC) {
            for (Bg96Socket s : sockets) {
                if (s != null) {
                    r.line(stateLine(s));
                }
            }
            r.ok();
        } else {
            r.ok();
        }
    }

    private static String stateLine(Bg96Socket s) {
        String ip = s.remoteIp != null ? s.remoteIp : s.host;
        return "+QISTATE: " + s.id + ",\"" + s.serviceType + "\",\"" + ip + "\"," + s.remotePort + ","
                + s.localPort() + "," + s.state + "," + s.contextId + ",0," + s.accessMode + ",\"uart1\"";
    }
}
