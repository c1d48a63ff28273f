package dev.atmodem.testkit.sim.ublox;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.CommonCommands;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.CmeErrors;
import dev.atmodem.testkit.sim.Dialect;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * u-blox SARA-R4 (R410M, R412M) and SARA-R5 (R510S), written from shared/AT-REFERENCE.md §0, §3, §5, §6 and
 * shared/QUIRKS.md only. One implementation; what differs between the models is data in {@link SaraModel}. Every
 * behaviour the reference marks UNCONFIRMED, or does not state, is one named constant below.
 *
 * <p>Split: this class has identity, SIM, registration and power; {@link SaraDnsTime} {@code CCLK} and {@code UDNSRN}; {@link SaraData} the data context (R4:
 * {@code CGDCONT/CGACT/UAUTHREQ}; R5: {@code UPSD/UPSDA/UPSND}); {@link SaraSockets} the seven sockets
 * ({@code USOCR/USOCO/USOWR/USORD/USOCL/USOER/USOCTL/UDCONF}).
 *
 * <p>Not simulated: UDP ({@code USOCR=17}, {@code USOST/USORF}), listening sockets, modem-side TLS ({@code USOSEC},
 * {@code USECPRF}), PPP/data mode, concatenated commands ({@code AT+A;+B}), SMS, the async {@code UDNSRN} form.
 */
public final class SaraDialect implements Dialect {

    // ---- limits (AT-REFERENCE §3B, §3C) ----
    /** Socket ids 0..6. */
    public static final int SOCKETS = 7;
    /** Most bytes per {@code AT+USOWR} (binary and base syntax). */
    public static final int MAX_WRITE = 1024;
    /** Most bytes per {@code AT+USOWR} in HEX mode. */
    public static final int MAX_WRITE_HEX = 512;
    /**
     * Most bytes per {@code AT+USORD}, in HEX mode too (§3C: 0-1024; the manual only doubles the data's length in HEX
     * mode, the 512 of §3B is ubxlib's own read size).
     */
    public static final int MAX_READ = 1024;

    // ---- identity (not in the reference: UNCONFIRMED; models in SaraModel) ----
    /** UNCONFIRMED: {@code AT+CGMI}. */
    public static final String MANUFACTURER = "u-blox";
    /** UNCONFIRMED: {@code ATI} is {@code <CGMI>\r\n<CGMM>} like the info lines here; real ATI text unknown. */
    static final String ATI_FORMAT = "%s\r\n%s";
    /** UNCONFIRMED: {@code AT+CCID} / {@code AT+CIMI} values (made up, test network 001-01). */
    public static final String ICCID = "8900100000000000001";
    public static final String IMSI = "001010000000001";

    // ---- behaviour the reference leaves open: one constant each ----
    /** UNCONFIRMED: the reference names no u-blox power-on URC, so the banner is empty (see {@link #bootUrcs}). */
    static final List<String> BOOT_URCS = List.of();
    /** UNCONFIRMED: the {@code AT+CMEE} mode after power-on (27.007's default). */
    static final int DEFAULT_CMEE = 0;
    /** UNCONFIRMED (§6.3): the {@code @} prompt is preceded by CRLF (QUIRKS 2 says {@code \r\n@}); nothing follows. */
    static final byte[] WRITE_PROMPT = {'\r', '\n', '@'};
    /**
     * §3B/QUIRKS 2: the host must wait at least this long after {@code @} before sending the data. UNCONFIRMED what
     * the module does with bytes that come earlier; here they are lost (so the write never completes). Change or
     * switch off (0) with {@link #promptWait(int)}.
     */
    static final int PROMPT_WAIT_MILLIS = 50;
    /**
     * UNCONFIRMED (QUIRKS 4 "u-blox can send OK\r\n with no leading CRLF after a binary read"): the knob
     * {@link #okWithoutCrlfAfterRead} ends {@code +USORD} data with this instead of the usual {@code "\r\n\r\nOK\r\n}.
     */
    static final String READ_END_QUIRK = "\"\r\nOK\r\n";
    /** UNCONFIRMED: a SARA-R5 with nothing to read answers {@code +USORD: <s>,0,""} (the R4 omits the 0, §3B). */
    static final String R5_EMPTY_READ = "+USORD: %d,0,\"\"";
    /** UNCONFIRMED: sockets get the lowest free id (§3B says only "the module assigns the id"). */
    static final int FIRST_SOCKET_ID = 0;
    /** UNCONFIRMED: the CME error for socket commands refused by state (live log: "Operation not allowed", §3B). */
    static final int SOCKET_CME = CmeErrors.OPERATION_NOT_ALLOWED;
    /** UNCONFIRMED: the CME error for a parameter out of range ({@code USOWR} above 1024, {@code USORD} above 1024). */
    static final int RANGE_CME = CmeErrors.OPERATION_NOT_ALLOWED;
    /** UNCONFIRMED: the CME error for a feature not on this model (async connect on R410M-01B, UDP here). */
    static final int UNSUPPORTED_CME = CmeErrors.OPERATION_NOT_SUPPORTED;
    /** UNCONFIRMED: the CME error when {@code AT+UDNSRN} cannot resolve a name (QUIRKS 13 lists "Unknown"). */
    static final int DNS_CME = CmeErrors.UNKNOWN;
    /** UNCONFIRMED: {@code AT+USOCL} of a socket already released by {@code +UUSOCL} is an error, not OK (§3E). */
    static final boolean USOCL_AFTER_UUSOCL_IS_ERROR = true;
    /** UNCONFIRMED: when the bearer drops, sockets die without a {@code +UUSOCL} each (only the bearer URC). */
    static final boolean UUSOCL_ON_BEARER_LOSS = false;
    /** UNCONFIRMED (§3A "automatically establishes a PSD connection"): a SARA-R4 has context 1 active once registered. */
    static final boolean R4_AUTO_ACTIVATES_CONTEXT = true;
    /** UNCONFIRMED: the R4 context that {@code +CGEV: NW PDN DEACT <cid>} and auto-activation use. */
    static final int R4_DEFAULT_CID = 1;
    /** UNCONFIRMED: the {@code +UUPSDA} result when the network rejects the activation (§3A: only "0 = success"). */
    static final int UUPSDA_REJECTED = 1;
    /** UNCONFIRMED: {@code AT+UPSDA=0,4} (host deactivation) answers OK with no {@code +UUPSDD}. */
    static final boolean UUPSDD_ON_HOST_DEACTIVATION = false;
    /** UNCONFIRMED: a socket's send buffer; a write that does not fit is refused with error 11 (queue full). */
    static final int SEND_BUFFER = 8 * 1024;
    /** UNCONFIRMED: unread bytes a socket holds before the modem stops reading from the peer (TCP flow control). */
    static final int RECEIVE_WINDOW = 8 * 1024;
    /** UNCONFIRMED: {@code AT+USOCO} accepts a host name as well as an IP address (resolved like UDNSRN). */
    static final boolean USOCO_ACCEPTS_NAMES = true;
    /** UNCONFIRMED: {@code AT+UDNSRN} answers one {@code +UDNSRN: "<ip>"} line per address of the name. */
    static final boolean UDNSRN_ALL_ADDRESSES = true;
    /** UNCONFIRMED: {@code AT+CCLK?} format {@code yy/MM/dd,HH:mm:ss±zz} (local time, zone in quarter hours, §3D). */
    static final DateTimeFormatter CCLK_FORMAT = DateTimeFormatter.ofPattern("yy/MM/dd,HH:mm:ss");
    /** UNCONFIRMED: {@code AT+UMNOPROF?} after power-on (100 = "standard Europe" in u-blox numbering). */
    static final int DEFAULT_MNO_PROFILE = 100;
    /** UNCONFIRMED: PDP context ids 1..8. */
    static final int MAX_CID = 8;
    /** UNCONFIRMED: 27.007 CME 149 ("PDP authentication failure") when the network rejects the credentials. */
    static final int AUTH_FAILURE_CME = 149;
    /** UNCONFIRMED: {@code AT+UPSDA=0,3} while profile 0 is already active is an error. */
    static final boolean UPSDA_ACTIVE_IS_ERROR = true;
    /** UNCONFIRMED: {@code AT+CGDCONT?} lines: cid, PDP type, APN, address, then {@code 0,0}. */
    static final String CGDCONT_READ_FORMAT = "+CGDCONT: %d,\"%s\",\"%s\",\"%s\",0,0";
    /** UNCONFIRMED: HEX-mode read data is upper-case hex. */
    static final boolean HEX_UPPER_CASE = true;
    /** UNCONFIRMED: {@code AT+UMNOPROF=<p>} only while deregistered (FreeRTOS sends {@code AT+COPS=2} first, §3A). */
    static final boolean UMNOPROF_NEEDS_DEREGISTRATION = true;
    /** UNCONFIRMED: {@code AT+CFUN} values that reset the module: 15 (§3A, FreeRTOS) and {@code <fun>,1}. */
    static final int CFUN_RESET = 15;

    /** Bring-up settings the simulator accepts and ignores. */
    private static final Set<String> ACCEPTED = Set.of("&D", "&F", "&K", "&W", "Z", "+IFC", "+CTZU", "+CTZR",
            "+CSCS", "+CMGF", "+CNMI", "+UPSV", "+URAT", "+UBANDMASK", "+CPSMS", "+CEDRXS", "+CGEREP");

    private final SaraModel model;
    private ModemContext ctx;
    private SaraData data;
    private SaraSockets sockets;
    private SaraDnsTime dnsTime;

    // network conditions the test controls; they survive reboots
    private int rssi = 20;
    private int ber = 99;
    private int registration = 1;
    private String operatorName = "Simulated Operator";
    private String operatorNumeric = "00101";
    private List<String> bootUrcs = BOOT_URCS;

    // modem state; lost on power-off
    private int cfun;
    private boolean pinLocked;
    private final int[] regUrcMode = new int[3];   // CREG, CGREG, CEREG <n>
    private int copsFormat;
    private int copsMode;
    private int mnoProfile = DEFAULT_MNO_PROFILE;
    long generation;

    /** The SARA-R410M-02B ({@code sara-r4}). */
    public SaraDialect() {
        this(SaraModel.R410M_02B);
    }

    public SaraDialect(SaraModel model) {
        this.model = Objects.requireNonNull(model);
    }

    public static SaraDialect r4() {
        return new SaraDialect(SaraModel.R410M_02B);
    }

    public static SaraDialect r5() {
        return new SaraDialect(SaraModel.R510S);
    }

    @Override
    public String name() {
        return model.dialectName();
    }

    public SaraModel model() {
        return model;
    }

    @Override
    public void bind(ModemContext context) {
        this.ctx = context;
        this.sockets = new SaraSockets(this, context);
        this.data = new SaraData(this, context, sockets);
        this.dnsTime = new SaraDnsTime(this, context);
    }

    @Override
    public int defaultCmeeMode() {
        return DEFAULT_CMEE;
    }

    @Override
    public String errorText(int code) {
        return SaraErrors.text(code);
    }

    // ---- test controls (call through ModemSimulator.control(SaraDialect.class, d -> ...)) ----

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

    public void operator(String name, String numeric) {
        this.operatorName = name;
        this.operatorNumeric = numeric;
    }

    /** The address the network gives the data context. */
    public void contextAddress(String ip) {
        data.address(ip);
    }

    /**
     * The network accepts the data context only with this user name and password (null: anything). Catches a driver
     * that sends {@code AT+UAUTHREQ} with the fields in the wrong order for the model (§3A).
     */
    public void requireCredentials(String user, String password) {
        data.requireCredentials(user, password);
    }

    /** The network's time zone in quarter hours, for {@code AT+CCLK?}. */
    public void timeZoneQuarters(int q) {
        dnsTime.timeZoneQuarters(q);
    }

    /** Replaces the (empty, UNCONFIRMED) power-on banner, e.g. to give a driver something to wait for. */
    public void bootUrcs(String... urcs) {
        this.bootUrcs = List.of(urcs);
    }

    /** Sockets are numbered from this id on (wrapping at 6), to catch a driver that assumes the module picks 0. */
    public void firstSocketId(int id) {
        sockets.firstId(id);
    }

    /**
     * QUIRKS 11: data that arrives right after a read emptied the buffer raises no {@code +UUSORD} (the modem
     * "omits +UUSORD when data arrives during a read"). A driver must keep reading until the modem reports 0 left,
     * and poll with {@code AT+USORD=<s>,0}.
     */
    public void omitUusordAfterRead(boolean on) {
        sockets.omitUusordAfterRead(on);
    }

    /** QUIRKS 4: {@code +USORD} data is followed by {@code "\r\nOK\r\n} ({@code OK} without its leading CRLF). */
    public void okWithoutCrlfAfterRead(boolean on) {
        sockets.okWithoutCrlfAfterRead(on);
    }

    /**
     * Payload bytes that reach the modem less than {@code millis} after the {@code @} prompt went out are lost
     * (default {@link #PROMPT_WAIT_MILLIS}; 0 accepts them at once). Catches a driver that does not wait.
     */
    public void promptWait(int millis) {
        sockets.promptWait(millis);
    }

    /**
     * §3B partial writes: each {@code AT+USOWR} takes at most {@code max} bytes and reports that count in
     * {@code +USOWR: <s>,<n>} (0 = off). A driver must resend the rest.
     */
    public void shortWrites(int max) {
        sockets.shortWrites(max);
    }

    /**
     * QUIRKS 9: the {@code +UUSOCL} of a drained, remotely closed socket is held back and comes inside the next
     * command's response, before that command's own answer (e.g. {@code +UUSOCL: 0} then {@code +CME ERROR}).
     */
    public void closeUrcInsideNextCommand(boolean on) {
        sockets.closeUrcInsideNextCommand(on);
    }

    // ---- state shared by the parts ----

    boolean registered() {
        return cfun == 1 && !pinLocked && copsMode != 2 && (registration == 1 || registration == 5);
    }

    boolean dataActive() {
        return data.active();
    }

    /** The CME line per the current CMEE mode, for answers that complete outside a {@link Reply}. */
    String cmeLine(int code) {
        return switch (ctx.cmeeMode()) {
            case 0 -> "ERROR";
            case 1 -> "+CME ERROR: " + code;
            default -> {
                String t = errorText(code);
                if (t == null) {
                    t = CmeErrors.text(code);
                }
                yield "+CME ERROR: " + (t == null ? Integer.toString(code) : t);
            }
        };
    }

    private int regStat() {
        return cfun == 1 && !pinLocked && copsMode != 2 ? registration : 0;
    }

    private static final String[] REG_NAMES = {"+CREG", "+CGREG", "+CEREG"};

    private void registrationUrcs() {
        for (int which = 0; which < 3; which++) {
            if (regUrcMode[which] >= 1) {
                ctx.urc(REG_NAMES[which] + ": " + regStat() + locationFields(regUrcMode[which]));
            }
        }
        data.registrationChanged();
    }

    /** UNCONFIRMED field values: with {@code <n>}=2 a registered modem adds tac/lac, cell id and AcT. */
    private String locationFields(int n) {
        int stat = regStat();
        return n >= 2 && (stat == 1 || stat == 5) ? ",\"1A2B\",\"01C2D3E4\"," + model.accessTechnology() : "";
    }

    // ---- power ----

    @Override
    public void powerOn() {
        long gen = generation;
        cfun = 1;
        pinLocked = ctx.options().pin() != null;
        Runnable boot = () -> {
            if (gen != generation) {
                return;
            }
            for (String u : bootUrcs) {
                ctx.urc(u);
            }
            data.poweredOn();
            ctx.ready();
        };
        int ms = ctx.options().bootMillis();
        if (ms > 0) {
            ctx.busyFor(ms);
            ctx.schedule(ms, boot);
        } else {
            boot.run();
        }
    }

    @Override
    public void powerOff() {
        generation++;
        sockets.reset();
        data.reset();
        regUrcMode[0] = regUrcMode[1] = regUrcMode[2] = 0;
        copsFormat = 0;
        copsMode = 0;
        mnoProfile = DEFAULT_MNO_PROFILE;
        cfun = 0;
    }

    // ---- faults ----

    @Override
    public void bearerLoss() {
        data.bearerLost();
    }

    @Override
    public boolean remoteClose(int id) {
        return sockets.remoteClose(id);
    }

    // ---- commands ----

    @Override
    public void handle(AtCommand c, Reply r) {
        sockets.beforeCommand(r);
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
            case "I" -> r.line(String.format(ATI_FORMAT, MANUFACTURER, model.model())).ok();
            case "+CGMI", "+GMI" -> info(c, r, MANUFACTURER);
            case "+CGMM", "+GMM" -> info(c, r, model.model());
            case "+CGMR", "+GMR" -> info(c, r, model.revision());
            case "+CGSN", "+GSN" -> info(c, r, model.imei());
            case "+CCID" -> simInfo(c, r, "+CCID: " + ICCID);
            case "+CIMI" -> simInfo(c, r, IMSI);
            case "+CMEE" -> cmee(c, r);
            case "+CPIN" -> cpin(c, r);
            case "+CSQ" -> {
                boolean radio = cfun == 1;
                r.line("+CSQ: " + (radio ? rssi : 99) + "," + (radio ? ber : 99)).ok();
            }
            case "+CREG" -> reg(c, r, 0);
            case "+CGREG" -> reg(c, r, 1);
            case "+CEREG" -> reg(c, r, 2);
            case "+COPS" -> cops(c, r);
            case "+CFUN" -> cfun(c, r);
            case "+UMNOPROF" -> umnoprof(c, r);
            case "+CCLK" -> dnsTime.cclk(c, r);
            case "+UDNSRN" -> dnsTime.udnsrn(c, r);
            case "+CGATT", "+CGDCONT", "+CGACT", "+UAUTHREQ", "+CGAUTH", "+UPSD", "+UPSDA", "+UPSND", "+CGPADDR" ->
                    data.handle(c, r);
            case "+USOCR", "+USOCO", "+USOWR", "+USORD", "+USOCL", "+USOER", "+USOCTL", "+UDCONF" ->
                    sockets.handle(c, r);
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

    private void simInfo(AtCommand c, Reply r, String line) {
        if (pinLocked) {
            r.cmeError(CmeErrors.SIM_PIN_REQUIRED);
        } else {
            info(c, r, line);
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
                data.poweredOn();
                r.ok();
            } else {
                r.cmeError(CmeErrors.INCORRECT_PASSWORD);
            }
        } else {
            r.ok();
        }
    }

    private void reg(AtCommand c, Reply r, int which) {
        String name = REG_NAMES[which];
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
                    r.line("+COPS: " + copsMode + "," + copsFormat + ",\"" + op + "\"," + model.accessTechnology())
                            .ok();
                } else {
                    r.line("+COPS: " + copsMode).ok();
                }
            }
            case TEST -> r.line("+COPS: (2,\"" + operatorName + "\",\"SIM\",\"" + operatorNumeric + "\","
                    + model.accessTechnology() + "),,(0-4),(0-2)").ok();
            case SET -> {
                int mode = c.intArg(0, 0, 4);
                if (mode == 3) {
                    if (c.hasArg(1)) {
                        copsFormat = c.intArg(1, 0, 2);
                    }
                    r.ok();
                    return;
                }
                boolean was = registered();
                copsMode = mode == 2 ? 2 : mode == 1 ? 1 : 0;
                if (was != registered()) {
                    registrationUrcs();
                }
                r.pause(mode == 2 ? 0 : ctx.conditions().rttMillis()).ok();
            }
            default -> r.error();
        }
    }

    private void cfun(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+CFUN: " + cfun).ok();
            case TEST -> r.line("+CFUN: (0,1,4,15),(0-1)").ok();
            case SET -> {
                int fun = c.intArg(0);
                int rst = c.intArgOr(1, 0);
                if (fun == CFUN_RESET || rst == 1) {
                    r.ok().then(ctx::reboot);
                    return;
                }
                if (fun != 0 && fun != 1 && fun != 4) {
                    throw new AtCommand.BadCommandException("CFUN " + fun);
                }
                boolean was = registered();
                if (fun != 1) {
                    sockets.closeAll();
                    data.radioOff();
                }
                cfun = fun;
                if (was != registered()) {
                    registrationUrcs();
                }
                if (fun == 1) {
                    data.poweredOn();
                }
                r.ok();
            }
            default -> r.error();
        }
    }

    private void umnoprof(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+UMNOPROF: " + mnoProfile).ok();
            case TEST -> r.line("+UMNOPROF: (0-201)").ok();
            case SET -> {
                int p = c.intArg(0, 0, 201);
                if (UMNOPROF_NEEDS_DEREGISTRATION && registered()) {
                    r.cmeError(CmeErrors.OPERATION_NOT_ALLOWED);
                    return;
                }
                mnoProfile = p;
                r.ok();
            }
            default -> r.error();
        }
    }
}
