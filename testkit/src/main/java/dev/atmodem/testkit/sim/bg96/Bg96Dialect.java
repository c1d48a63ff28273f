package dev.atmodem.testkit.sim.bg96;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.CmeErrors;
import dev.atmodem.testkit.sim.Dialect;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.NameTable;
import dev.atmodem.testkit.sim.PayloadSpec;
import dev.atmodem.testkit.sim.Reply;
import dev.atmodem.testkit.sim.SimConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Quectel BG96 (also EC2x, BG95, BG77: the same TCP/IP command set), written from shared/AT-REFERENCE.md §0-§1 and
 * shared/QUIRKS.md. Every behaviour the reference marks UNCONFIRMED is a named constant below, so it changes in one
 * place once checked against the manual.
 *
 * <p>Not simulated: UDP, TCP LISTENER / UDP SERVICE, transparent mode (access_mode 2), QISENDEX, SSL
 * ({@code +QSSL*}), SMS. They answer {@code ERROR} or {@code +QIOPEN: <id>,555}.
 */
public final class Bg96Dialect implements Dialect {

    // ---- limits (AT-REFERENCE §1C) ----
    public static final int SOCKETS = 12;
    public static final int MAX_SEND = 1460;
    public static final int MAX_READ = 1500;
    public static final int MAX_CONTEXT = 16;

    // ---- identity ----
    public static final String MANUFACTURER = "Quectel";
    public static final String MODEL = "BG96";
    public static final String REVISION = "BG96MAR02A07M1G";
    public static final String IMEI = "866425030000001";

    // ---- behaviour the reference leaves open: one constant each ----
    /** UNCONFIRMED: the CMEE mode after power-on. */
    static final int DEFAULT_CMEE = 1;
    /** UNCONFIRMED: the error in {@code +QIOPEN: <id>,<err>} when the PDP context is not active. */
    static final int ERR_QIOPEN_CONTEXT_INACTIVE = Bg96Errors.OPEN_PDP_FAILED;
    /** UNCONFIRMED: whether direct-push data ({@code +QIURC: "recv",id,len\r\n<data>}) is followed by CRLF. */
    static final boolean PUSH_DATA_TRAILING_CRLF = true;
    /** UNCONFIRMED: whether {@code +QIURC: "closed"} is sent per socket when the bearer drops. */
    static final boolean CLOSED_URC_ON_PDPDEACT = false;
    /** UNCONFIRMED: whether {@code AT+QIACT} of an already active context answers ERROR (Zephyr's retry suggests so). */
    static final boolean QIACT_ACTIVE_IS_ERROR = true;
    /** UNCONFIRMED: the modem's send buffer per socket; a send that does not fit answers {@code SEND FAIL}. */
    static final int SEND_BUFFER = 8 * 1024;
    /** UNCONFIRMED: unread bytes a socket holds before the modem stops reading from the peer (TCP flow control). */
    static final int RECEIVE_WINDOW = 64 * 1024;
    /** UNCONFIRMED: a failed lookup reports only the error code: {@code +QIURC: "dnsgip",<err>}. */
    static final String DNSGIP_ERROR_URC = "+QIURC: \"dnsgip\",%d";
    /** UNCONFIRMED: the final result after a variable-length send cancelled with ESC. */
    static final String SEND_CANCELLED_RESULT = "OK";
    /** UNCONFIRMED: the TTL reported in {@code +QIURC: "dnsgip",0,<count>,<ttl>}. */
    static final int DNS_TTL = 600;
    /** The boot URCs; {@code +CPIN: ...} is inserted after {@code +CFUN: 1}. Last one marks "ready". */
    static final String FIRST_BOOT_URC = "RDY";
    static final String LAST_BOOT_URC = "APP RDY";

    private static final byte[] PROMPT = {'\r', '\n', '>', ' '};
    private static final byte[] CRLF = {'\r', '\n'};
    private static final DateTimeFormatter QLTS_FORMAT = DateTimeFormatter.ofPattern("yyyy/MM/dd,HH:mm:ss");
    /** Bring-up settings the simulator accepts and ignores (AT-REFERENCE §1A, optional FreeRTOS init). */
    private static final Set<String> ACCEPTED = Set.of("&D", "&F", "&W", "Z", "+IFC", "+QURCCFG", "+QCFG", "+CTZR",
            "+CTZU", "+QIDNSCFG", "+QICFG", "+CSCS", "+CMGF");

    private ModemContext ctx;

    // network conditions the test controls; they survive reboots
    private int rssi = 20;
    private int ber = 99;
    private int registration = 1;
    private String operatorName = "Simulated Operator";
    private String operatorNumeric = "00101";
    private int accessTechnology = 8;
    private String contextAddress = "10.0.0.2";
    private int timeZoneQuarters = 0;

    // modem state; lost on power-off
    private int cfun;
    private boolean pinLocked;
    private final int[] regUrcMode = new int[3];   // CREG, CGREG, CEREG <n>
    private int copsFormat;
    private final Context[] contexts = new Context[MAX_CONTEXT + 1];
    private final Bg96Socket[] sockets = new Bg96Socket[SOCKETS];
    private int lastError;
    private long generation;

    private static final class Context {
        int type = 1;
        String apn = "";
        String user = "";
        String pass = "";
        int auth;
        boolean active;
    }

    @Override
    public String name() {
        return "bg96";
    }

    @Override
    public void bind(ModemContext context) {
        this.ctx = context;
    }

    @Override
    public int defaultCmeeMode() {
        return DEFAULT_CMEE;
    }

    @Override
    public String errorText(int code) {
        return Bg96Errors.text(code);
    }

    // ---- test controls (call through ModemSimulator.control(Bg96Dialect.class, d -> ...)) ----

    public void signal(int rssi, int ber) {
        this.rssi = rssi;
        this.ber = ber;
    }

    /** 27.007 registration stat: 0 not registered, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming. */
    public void registration(int stat) {
        this.registration = stat;
    }

    public void operator(String name, String numeric, int act) {
        this.operatorName = name;
        this.operatorNumeric = numeric;
        this.accessTechnology = act;
    }

    /** The address the network assigns to an activated context. */
    public void contextAddress(String ip) {
        this.contextAddress = ip;
    }

    /** The network's time zone in quarter hours, as {@code AT+QLTS} reports it. */
    public void timeZoneQuarters(int q) {
        this.timeZoneQuarters = q;
    }

    // ---- power ----

    @Override
    public void powerOn() {
        long gen = generation;
        cfun = 1;
        pinLocked = ctx.options().pin() != null;
        ctx.urc(FIRST_BOOT_URC);
        Runnable rest = () -> {
            if (gen != generation) {
                return;
            }
            ctx.urc("+CFUN: 1");
            ctx.urc(pinLocked ? "+CPIN: SIM PIN" : "+CPIN: READY");
            ctx.urc(LAST_BOOT_URC);
            ctx.ready();
        };
        int boot = ctx.options().bootMillis();
        if (boot > 0) {
            ctx.busyFor(boot);
            ctx.schedule(boot, rest);
        } else {
            rest.run();
        }
    }

    @Override
    public void powerOff() {
        generation++;
        for (int i = 0; i < SOCKETS; i++) {
            if (sockets[i] != null) {
                sockets[i].closeConnection();
                sockets[i] = null;
            }
        }
        for (int i = 0; i <= MAX_CONTEXT; i++) {
            contexts[i] = null;
        }
        regUrcMode[0] = regUrcMode[1] = regUrcMode[2] = 0;
        copsFormat = 0;
        lastError = 0;
        cfun = 0;
    }

    // ---- faults ----

    @Override
    public void bearerLoss() {
        for (int c = 1; c <= MAX_CONTEXT; c++) {
            Context x = contexts[c];
            if (x == null || !x.active) {
                continue;
            }
            x.active = false;
            for (Bg96Socket s : sockets) {
                if (s != null && s.contextId == c && s.state != Bg96Socket.CLOSING) {
                    s.closeConnection();
                    s.state = Bg96Socket.CLOSING;
                    if (CLOSED_URC_ON_PDPDEACT) {
                        ctx.urc("+QIURC: \"closed\"," + s.id);
                    }
                }
            }
            ctx.urc("+QIURC: \"pdpdeact\"," + c);
        }
    }

    @Override
    public boolean remoteClose(int id) {
        Bg96Socket s = id >= 0 && id < SOCKETS ? sockets[id] : null;
        if (s == null || s.state != Bg96Socket.CONNECTED) {
            return false;
        }
        s.connection.closeAsRemote();
        return true;
    }

    // ---- commands ----

    @Override
    public void handle(AtCommand c, Reply r) {
        switch (c.name()) {
            case "" -> r.ok();
            case "E" -> echo(c, r);
            case "V" -> {
                if (c.argCount() == 0 || c.arg(0).equals("1")) {
                    r.ok();
                } else {
                    r.error();   // numeric result codes (ATV0) are not simulated
                }
            }
            case "I" -> r.raw("\r\n" + MANUFACTURER + "\r\n" + MODEL + "\r\nRevision: " + REVISION + "\r\n").ok();
            case "+CGMI", "+GMI" -> info(c, r, MANUFACTURER);
            case "+CGMM", "+GMM" -> info(c, r, MODEL);
            case "+CGMR", "+GMR" -> info(c, r, REVISION);
            case "+CGSN", "+GSN" -> info(c, r, IMEI);
            case "+CMEE" -> cmee(c, r);
            case "+CPIN" -> cpin(c, r);
            case "+CSQ" -> {
                boolean radio = cfun == 1;
                r.line("+CSQ: " + (radio ? rssi : 99) + "," + (radio ? ber : 99)).ok();
            }
            case "+CREG" -> reg(c, r, 0, "+CREG");
            case "+CGREG" -> reg(c, r, 1, "+CGREG");
            case "+CEREG" -> reg(c, r, 2, "+CEREG");
            case "+COPS" -> cops(c, r);
            case "+CFUN" -> cfun(c, r);
            case "+CGATT" -> {
                if (c.form() == Form.READ) {
                    r.line("+CGATT: " + (registered() ? 1 : 0)).ok();
                } else {
                    r.ok();
                }
            }
            case "+QICSGP" -> qicsgp(c, r);
            case "+QIACT" -> qiact(c, r);
            case "+QIDEACT" -> qideact(c, r);
            case "+QIOPEN" -> qiopen(c, r);
            case "+QISEND" -> qisend(c, r);
            case "+QIRD" -> qird(c, r);
            case "+QICLOSE" -> qiclose(c, r);
            case "+QISTATE" -> qistate(c, r);
            case "+QIDNSGIP" -> qidnsgip(c, r);
            case "+QLTS" -> qlts(c, r);
            case "+QIGETERROR" -> r.line("+QIGETERROR: " + lastError + "," + Bg96Errors.text(lastError)).ok();
            default -> {
                if (ACCEPTED.contains(c.name())) {
                    r.ok();
                } else {
                    r.error();
                }
            }
        }
    }

    private static void info(AtCommand c, Reply r, String value) {
        if (c.form() == Form.TEST) {
            r.ok();
        } else {
            r.line(value).ok();
        }
    }

    private void echo(AtCommand c, Reply r) {
        String a = c.argCount() == 0 ? "0" : c.arg(0);
        switch (a) {
            case "0" -> ctx.echo(false);
            case "1" -> ctx.echo(true);
            default -> {
                r.error();
                return;
            }
        }
        r.ok();
    }

    private void cmee(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+CMEE: " + ctx.cmeeMode()).ok();
            case TEST -> r.line("+CMEE: (0-2)").ok();
            case SET -> {
                ctx.cmeeMode(c.intArg(0, 0, 2));
                r.ok();
            }
            default -> {
                ctx.cmeeMode(0);
                r.ok();
            }
        }
    }

    private void cpin(AtCommand c, Reply r) {
        if (c.form() == Form.READ) {
            r.line(pinLocked ? "+CPIN: SIM PIN" : "+CPIN: READY").ok();
        } else if (c.form() == Form.SET) {
            String pin = c.arg(0);
            if (!pinLocked) {
                r.cmeError(CmeErrors.OPERATION_NOT_ALLOWED);
            } else if (pin.equals(ctx.options().pin())) {
                pinLocked = false;
                r.ok();
            } else {
                r.cmeError(CmeErrors.INCORRECT_PASSWORD);
            }
        } else {
            r.ok();
        }
    }

    private boolean registered() {
        return cfun == 1 && !pinLocked && (registration == 1 || registration == 5);
    }

    private int regStat() {
        return cfun == 1 && !pinLocked ? registration : 0;
    }

    private void reg(AtCommand c, Reply r, int which, String name) {
        switch (c.form()) {
            case READ -> {
                int n = regUrcMode[which];
                int stat = regStat();
                String extra = n == 2 && (stat == 1 || stat == 5)
                        ? ",\"1A2B\",\"01C2D3E4\"," + accessTechnology : "";
                r.line(name + ": " + n + "," + stat + extra).ok();
            }
            case TEST -> r.line(name + ": (0-2)").ok();
            case SET -> {
                regUrcMode[which] = c.intArg(0, 0, 2);
                r.ok();
            }
            default -> r.error();
        }
    }

    private void cops(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> {
                if (registered()) {
                    String op = copsFormat == 2 ? operatorNumeric : operatorName;
                    r.line("+COPS: 0," + copsFormat + ",\"" + op + "\"," + accessTechnology).ok();
                } else {
                    r.line("+COPS: 0").ok();
                }
            }
            case TEST -> r.line("+COPS: (2,\"" + operatorName + "\",\"SIM\",\"" + operatorNumeric + "\","
                    + accessTechnology + "),,(0-4),(0-2)").ok();
            case SET -> {
                int mode = c.intArg(0, 0, 4);
                if (mode == 3 && c.hasArg(1)) {
                    copsFormat = c.intArg(1, 0, 2);
                }
                r.ok();
            }
            default -> r.error();
        }
    }

    private void cfun(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+CFUN: " + cfun).ok();
            case TEST -> r.line("+CFUN: (0,1,4),(0-1)").ok();
            case SET -> {
                int fun = c.intArg(0);
                if (fun != 0 && fun != 1 && fun != 4) {
                    throw new AtCommand.BadCommandException("CFUN " + fun);
                }
                int rst = c.intArgOr(1, 0);
                if (rst == 1) {
                    r.ok().then(ctx::reboot);
                    return;
                }
                if (fun != 1) {
                    dropData();
                }
                cfun = fun;
                r.ok();
            }
            default -> r.error();
        }
    }

    /** Radio off: contexts and sockets go without URCs (the host asked for it). */
    private void dropData() {
        for (int i = 0; i < SOCKETS; i++) {
            if (sockets[i] != null) {
                sockets[i].closeConnection();
                sockets[i] = null;
            }
        }
        for (Context x : contexts) {
            if (x != null) {
                x.active = false;
            }
        }
    }

    private Context context(int id) {
        if (contexts[id] == null) {
            contexts[id] = new Context();
        }
        return contexts[id];
    }

    private boolean active(int id) {
        return contexts[id] != null && contexts[id].active;
    }

    private void qicsgp(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int id = c.intArg(0, 1, MAX_CONTEXT);
        Context x = context(id);
        if (c.argCount() == 1) {
            r.line("+QICSGP: " + x.type + ",\"" + x.apn + "\",\"" + x.user + "\",\"" + x.pass + "\"," + x.auth).ok();
            return;
        }
        int type = c.intArg(1, 1, 3);
        String apn = c.hasArg(2) ? c.stringArg(2) : "";
        String user = c.hasArg(3) ? c.stringArg(3) : "";
        String pass = c.hasArg(4) ? c.stringArg(4) : "";
        int auth = c.hasArg(5) ? c.intArg(5, 0, 3) : 0;
        x.type = type;
        x.apn = apn;
        x.user = user;
        x.pass = pass;
        x.auth = auth;
        r.ok();
    }

    private void qiact(AtCommand c, Reply r) {
        if (c.form() == Form.READ) {
            for (int i = 1; i <= MAX_CONTEXT; i++) {
                if (active(i)) {
                    r.line("+QIACT: " + i + ",1," + contexts[i].type + ",\"" + contextAddress + "\"");
                }
            }
            r.ok();
            return;
        }
        if (c.form() == Form.TEST) {
            r.line("+QIACT: (1-16)").ok();
            return;
        }
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int id = c.intArg(0, 1, MAX_CONTEXT);
        // activation is a network procedure: it takes a round trip either way
        r.pause(ctx.conditions().rttMillis());
        if (!registered() || (active(id) && QIACT_ACTIVE_IS_ERROR)) {
            lastError = Bg96Errors.OPEN_PDP_FAILED;
            r.error();
            return;
        }
        context(id).active = true;
        r.ok();
    }

    private void qideact(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int id = c.intArg(0, 1, MAX_CONTEXT);
        for (int i = 0; i < SOCKETS; i++) {
            if (sockets[i] != null && sockets[i].contextId == id) {
                sockets[i].closeConnection();
                sockets[i] = null;
            }
        }
        if (contexts[id] != null) {
            contexts[id].active = false;
        }
        r.pause(ctx.conditions().halfRttMillis()).ok();
    }

    private void qiopen(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int ctxId = c.intArg(0, 1, MAX_CONTEXT);
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
        if (!active(ctxId)) {
            r.then(() -> openResult(id, ERR_QIOPEN_CONTEXT_INACTIVE));
            return;
        }
        Bg96Socket s = new Bg96Socket(id, ctxId, type, host, port, mode);
        sockets[id] = s;
        long gen = generation;
        r.then(() -> {
            if (NameTable.isIpv4(host)) {
                connect(s, host, gen);
            } else {
                ctx.schedule(ctx.conditions().rttMillis(), () -> {
                    Optional<List<String>> ips = ctx.names().resolve(host);
                    if (sockets[id] != s || gen != generation) {
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
            lastError = err;
        }
        ctx.urc("+QIOPEN: " + id + "," + err);
    }

    private void connect(Bg96Socket s, String ip, long gen) {
        s.remoteIp = ip;
        SimConnection.open(ctx, ip, s.remotePort, MAX_READ, SEND_BUFFER, RECEIVE_WINDOW, new SimConnection.Listener() {
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
            if (sockets[s.id] != s || gen != generation || s.state != Bg96Socket.OPENING) {
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
            ctx.emit(head);
            ctx.emit(chunk, () -> conn.release(chunk.length));
            if (PUSH_DATA_TRAILING_CRLF) {
                ctx.emit(CRLF);
            }
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

    private void qisend(AtCommand c, Reply r) {
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
            if (len > MAX_SEND) {
                r.error();
                return;
            }
            spec = PayloadSpec.exactly(len);
        } else {
            spec = PayloadSpec.untilCtrlZ(MAX_SEND);
        }
        if (s == null || s.state != Bg96Socket.CONNECTED) {
            lastError = Bg96Errors.SOCKET_CLOSED;
            r.error();
            return;
        }
        r.prompt(PROMPT, spec, (data, cancelled, pr) -> {
            if (cancelled) {
                pr.line(SEND_CANCELLED_RESULT);
            } else if (sockets[s.id] != s || s.state != Bg96Socket.CONNECTED) {
                lastError = Bg96Errors.SOCKET_CLOSED;
                pr.error();
            } else if (ctx.faults().takeSendFailure() || !s.connection.send(data)) {
                pr.line("SEND FAIL");
            } else {
                ctx.stats().addSocketSent(s.id, data.length);
                pr.line("SEND OK");
            }
        });
    }

    private void qird(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        Bg96Socket s = socket(c);
        if (s == null || s.accessMode != 0 || s.state == Bg96Socket.OPENING) {
            r.error();
            return;
        }
        int len = MAX_READ;
        if (c.hasArg(1)) {
            len = c.intArg(1);
            if (len == 0) {
                r.line("+QIRD: " + s.totalReceived + "," + s.haveRead + "," + s.unread.size()).ok();
                return;
            }
            if (len > MAX_READ) {
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

    private void qiclose(AtCommand c, Reply r) {
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

    private void qistate(AtCommand c, Reply r) {
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

    private void qidnsgip(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int ctxId = c.intArg(0, 1, MAX_CONTEXT);
        String host = c.stringArg(1);
        if (!active(ctxId)) {
            r.error();
            return;
        }
        long gen = generation;
        r.ok().then(() -> ctx.schedule(ctx.conditions().rttMillis(), () -> {
            if (gen != generation) {
                return;
            }
            Optional<List<String>> ips = ctx.names().resolve(host);
            if (ips.isEmpty()) {
                lastError = Bg96Errors.DNS_PARSE_FAILED;
                ctx.urc(String.format(DNSGIP_ERROR_URC, Bg96Errors.DNS_PARSE_FAILED));
                return;
            }
            ctx.urc("+QIURC: \"dnsgip\",0," + ips.get().size() + "," + DNS_TTL);
            for (String ip : ips.get()) {
                ctx.urc("+QIURC: \"dnsgip\",\"" + ip + "\"");
            }
        }));
    }

    private void qlts(AtCommand c, Reply r) {
        int mode = c.form() == Form.SET ? c.intArg(0, 0, 2) : 0;
        if (!registered()) {
            r.line("+QLTS: \"\"").ok();
            return;
        }
        Instant now = ctx.clock().instant();
        ZoneOffset zone = ZoneOffset.ofTotalSeconds(timeZoneQuarters * 15 * 60);
        // modes 0 and 1 give UTC, mode 2 local time; both carry the zone (mode 0 semantics UNCONFIRMED)
        String time = QLTS_FORMAT.format(now.atOffset(mode == 2 ? zone : ZoneOffset.UTC));
        int q = Math.abs(timeZoneQuarters);
        String tz = (timeZoneQuarters < 0 ? "-" : "+") + (q < 10 ? "0" : "") + q;
        r.line("+QLTS: \"" + time + tz + ",0\"").ok();
    }
}
