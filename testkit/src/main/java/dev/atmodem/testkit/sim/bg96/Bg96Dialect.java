package dev.atmodem.testkit.sim.bg96;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.CommonCommands;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.CmeErrors;
import dev.atmodem.testkit.sim.Dialect;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
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
    private Bg96Sockets sockets;
    int lastError;
    long generation;

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
        this.sockets = new Bg96Sockets(this, context);
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
        int before = regStat();
        this.registration = stat;
        if (regStat() != before) {
            registrationUrcs();
        }
    }

    private static final String[] REG_NAMES = {"+CREG", "+CGREG", "+CEREG"};

    /** {@code +CREG: <stat>[,<lac>,<ci>,<act>]} and friends, for each enabled with {@code AT+CxREG=1|2}. */
    private void registrationUrcs() {
        for (int which = 0; which < 3; which++) {
            int n = regUrcMode[which];
            if (n >= 1) {
                ctx.urc(REG_NAMES[which] + ": " + regStat() + locationFields(n));
            }
        }
    }

    /** With {@code <n>}=2 a registered modem adds its location area, cell and access technology. */
    private String locationFields(int n) {
        int stat = regStat();
        return n == 2 && (stat == 1 || stat == 5) ? ",\"1A2B\",\"01C2D3E4\"," + accessTechnology : "";
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
        sockets.closeAll();
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
            sockets.bearerLost(c);
            ctx.urc("+QIURC: \"pdpdeact\"," + c);
        }
    }

    @Override
    public boolean remoteClose(int id) {
        return sockets.remoteClose(id);
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
            case "+QIOPEN" -> sockets.qiopen(c, r);
            case "+QISEND" -> sockets.qisend(c, r);
            case "+QIRD" -> sockets.qird(c, r);
            case "+QICLOSE" -> sockets.qiclose(c, r);
            case "+QISTATE" -> sockets.qistate(c, r);
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
        CommonCommands.echo(ctx, c, r);
    }

    private void cmee(AtCommand c, Reply r) {
        CommonCommands.cmee(ctx, c, r);
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
                r.line(name + ": " + n + "," + regStat() + locationFields(n)).ok();
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
        sockets.closeAll();
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

    boolean active(int id) {
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
        sockets.closeContext(id);
        if (contexts[id] != null) {
            contexts[id].active = false;
        }
        r.pause(ctx.conditions().halfRttMillis()).ok();
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
