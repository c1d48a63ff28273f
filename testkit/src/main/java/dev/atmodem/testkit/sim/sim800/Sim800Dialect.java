package dev.atmodem.testkit.sim.sim800;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.CommonCommands;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.CmeErrors;
import dev.atmodem.testkit.sim.Dialect;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
import java.util.List;
import java.util.Set;

/**
 * SIMCom SIM800 (SIM800C/L, SIM808, SIM868) in multi-connection mode, written from shared/AT-REFERENCE.md §0, §2,
 * §5, §6 and shared/QUIRKS.md only. Every behaviour the reference leaves open (UNCONFIRMED there, or simply not
 * stated) is one named constant below, so it can be corrected in one place once checked against the manual.
 *
 * <p>Split: this class has identity, SIM, registration and power; {@link Sim800Ip} the IP state machine and
 * bring-up ({@code CSTT/CIICR/CIFSR/CIPSHUT/CIPMUX/CIPSTATUS/CDNSGIP}); {@link Sim800Sockets} the six connections
 * ({@code CIPSTART/CIPSEND/CIPRXGET/CIPCLOSE/CIPACK}); {@link Sim800Time} {@code CLTS/CCLK} and the network-time URCs.
 *
 * <p>Not simulated: single-connection mode ({@code CIPMUX=0} sockets), UDP, servers ({@code CIPSERVER}), transparent
 * mode ({@code CIPMODE=1}), {@code CIPHEAD/CIPSRIP/CIPSHOWTP=1} headers, the {@code SAPBR} bearer, SMS, modem-side
 * TLS beyond refusing it (see {@link #SSL_HANDSHAKE_RESULT}), concatenated commands other than {@code AT+CIFSR;E0}.
 */
public final class Sim800Dialect implements Dialect {

    // ---- limits (AT-REFERENCE §2C) ----
    /** Connections {@code <n>} 0..5 with {@code CIPMUX=1}. */
    public static final int SOCKETS = 6;
    /** UNCONFIRMED (§2B, §6.2): the {@code AT+CIPSEND?} size, i.e. the most one {@code AT+CIPSEND} may carry. */
    public static final int MAX_SEND = 1460;
    /** The {@code <reqlength>} range of {@code AT+CIPRXGET=2} is 1..1460 (TinyGSM quoting the manual). */
    public static final int MAX_READ = 1460;
    /** UNCONFIRMED (§2B, §6.2): the {@code <reqlength>} limit of the hex read {@code AT+CIPRXGET=3}. */
    public static final int MAX_READ_HEX = 730;
    /** UNCONFIRMED (§2C, §6.2): unread bytes a connection buffers before the modem stops reading from the peer. */
    public static final int RX_BUFFER = 2920;
    /**
     * UNCONFIRMED: bytes a connection holds on their way to the peer (one-way delay); a send that does not fit
     * answers {@code <n>, SEND FAIL}. Quick send ({@code DATA ACCEPT}) does not wait, so it can fill this.
     */
    public static final int SEND_BUFFER = 8 * 1024;

    // ---- identity (the reference gives no SIM800 ATI/CGMx answers: all UNCONFIRMED) ----
    /** UNCONFIRMED: {@code ATI} answer. */
    public static final String ATI_TEXT = "SIM800 R14.18";
    /** UNCONFIRMED: {@code AT+CGMI} answer. */
    public static final String MANUFACTURER = "SIMCOM_Ltd";
    /** UNCONFIRMED: {@code AT+CGMM} answer. */
    public static final String MODEL = "SIMCOM_SIM800L";
    /** UNCONFIRMED: {@code AT+CGMR} answer (R14.18 is the first firmware with SSL, §2D). */
    public static final String REVISION = "Revision:1418B04SIM800L24";
    public static final String IMEI = "865067020000001";

    // ---- behaviour the reference leaves open: one constant each ----
    /** UNCONFIRMED (§2A, §6.2 "full boot URC list"): the boot URCs; {@code +CPIN: ...} follows {@code +CFUN: 1}. */
    static final List<String> BOOT_URCS_BEFORE_PIN = List.of("RDY", "+CFUN: 1");
    static final List<String> BOOT_URCS_AFTER_PIN = List.of("Call Ready", "SMS Ready");
    /** UNCONFIRMED: with the SIM locked the banner stops at {@code +CPIN: SIM PIN}; the rest follows the unlock. */
    static final boolean READY_URCS_AFTER_UNLOCK = true;
    /** UNCONFIRMED: the {@code AT+CMEE} mode after power-on (27.007's default). */
    static final int DEFAULT_CMEE = 0;
    /** UNCONFIRMED: the prompt after {@code AT+CIPSEND}; §2B/QUIRKS 2 say only "{@code > }, no line end". */
    static final byte[] SEND_PROMPT = {'\r', '\n', '>', ' '};
    /** UNCONFIRMED (§2A "only effective in IP INITIAL"): {@code AT+CIPMUX=} outside IP INITIAL answers ERROR. */
    static final boolean CIPMUX_OUTSIDE_INITIAL_IS_ERROR = true;
    /** UNCONFIRMED (§2A: manual maximum unknown, TinyGSM waits 60 s): {@code AT+CIICR} takes this many round trips. */
    static final int CIICR_ROUND_TRIPS = 1;
    /**
     * UNCONFIRMED (§2B gives the texts, not the timing): with {@code AT+CIPQSEND=0} {@code <n>, SEND OK} waits for the
     * peer's acknowledgement (one round trip); quick send's {@code DATA ACCEPT} comes at once.
     */
    static final boolean SEND_OK_WAITS_FOR_ACK = true;
    /** UNCONFIRMED: a failed {@code AT+CIICR} answers ERROR and leaves the IP state in PDP DEACT. */
    static final Sim800Ip.State CIICR_FAILURE_STATE = Sim800Ip.State.PDP_DEACT;
    /** UNCONFIRMED (§2B): an existing connection answers {@code OK}, then {@code <n>, ALREADY CONNECT}. */
    static final boolean ALREADY_CONNECT_AFTER_OK = true;
    /** UNCONFIRMED (§2B "+CME ERROR: operation not allowed" live vs manual ERROR): CIPCLOSE of an unconnected id. */
    static final boolean CIPCLOSE_UNCONNECTED_IS_CME = true;
    /** UNCONFIRMED (§6.2 re-arm): {@code +CIPRXGET: 1,<n>} only when the buffer goes from empty to non-empty. */
    static final boolean RXGET_URC_ONLY_WHEN_EMPTY = true;
    /**
     * UNCONFIRMED (§2B: SIM7000 does it, SIM800 unknown): an extra {@code +CIPRXGET: 1,<n>} line inside the answer to
     * {@code AT+CIPRXGET=2|3|4} while data is waiting. Off: this SIM800 never interleaves it.
     */
    static final boolean RXGET_URC_INSIDE_READS = false;
    /**
     * UNCONFIRMED (QUIRKS 4 shows {@code ...data\nOK}): what follows the raw bytes of {@code +CIPRXGET: 2}; the
     * reference's transcript and general framing give {@code <data>\r\nOK\r\n}.
     */
    static final String RXGET_AFTER_DATA = "\r\nOK\r\n";
    /** The QUIRKS 4 variant of {@link #RXGET_AFTER_DATA}, switched on with {@link #okAfterDataWithBareLf(boolean)}. */
    static final String RXGET_AFTER_DATA_BARE_LF = "\nOK\r\n";
    /** UNCONFIRMED: hex digits of {@code AT+CIPRXGET=3} are upper case. */
    static final boolean RXGET_HEX_UPPER = true;
    /** UNCONFIRMED: data buffered before a remote close can still be read with {@code AT+CIPRXGET=2}. */
    static final boolean RX_READABLE_AFTER_REMOTE_CLOSE = true;
    /** UNCONFIRMED (§2B; §6.2 CIPHEAD/CIPSRIP output): push data is {@code +RECEIVE,n,len:} CRLF data, no trailer. */
    static final String PUSH_HEADER = "\r\n+RECEIVE,%d,%d:\r\n";
    /** UNCONFIRMED: {@code <n>, CLOSED} is not sent per connection when the bearer drops, only {@code +PDP: DEACT}. */
    static final boolean CLOSED_URC_ON_PDP_DEACT = false;
    /** UNCONFIRMED: the final result after {@code AT+CIPSEND=<n>} (Ctrl+Z form) is cancelled with ESC. */
    static final String SEND_CANCELLED_RESULT = "OK";
    /** UNCONFIRMED: {@code AT+CIPSEND?} reports this size for an id that is not connected. */
    static final int CIPSEND_SIZE_UNCONNECTED = 0;
    /** UNCONFIRMED: {@code C: <n>,...} / {@code +CIPSTATUS: <n>,...} text of an id never used since CIPSHUT. */
    static final String STATUS_UNUSED = "%d,,\"\",\"\",\"\",\"INITIAL\"";
    /** UNCONFIRMED: {@code AT+CDNSGIP} before the context is active answers ERROR. */
    static final boolean CDNSGIP_NEEDS_CONTEXT = true;
    /** §2D: RT-Thread reads {@code +CDNSGIP: 0,8} as "dns common error"; used for an unknown name. */
    static final int DNS_ERROR = 8;
    /**
     * UNCONFIRMED (§2D: the firmware does TLS 1.0 at most; TinyGSM sees {@code CLOSE OK} on handshake failure): with
     * {@code AT+CIPSSL=1} the TCP connection is made, the TLS 1.0 handshake fails against a modern server, and
     * {@code AT+CIPSTART} ends with {@code <n>, } + this text.
     */
    static final String SSL_HANDSHAKE_RESULT = "CONNECT FAIL";
    /**
     * UNCONFIRMED (§2D names the URC, not its fields): {@code *PSUTTZ: yyyy,M,d,H,m,s,"±tz",dst}, the time in UTC and
     * tz in quarter hours.
     */
    static final String PSUTTZ_FORMAT = "*PSUTTZ: %d,%d,%d,%d,%d,%d,\"%s%d\",%d";
    /** UNCONFIRMED: the line after {@code *PSUTTZ}. */
    static final String DST_FORMAT = "DST: %d";
    /** UNCONFIRMED: {@code AT+CCLK?} before any network time arrived (the RTC's reset value). */
    static final String CCLK_UNSET = "04/01/01,00:00:00+00";

    /** Settings the simulator accepts and ignores (bring-up noise from common drivers). */
    private static final Set<String> ACCEPTED = Set.of("&D", "&F", "&W", "Z", "+IFC", "+CSCLK", "+CDNSCFG",
            "+CSCS", "+CMGF", "+CNMI", "+CLIP", "+SSLOPT", "+CGDCONT");
    /** Header options: accepted when off, ERROR when switched on (not simulated). */
    private static final Set<String> OFF_ONLY = Set.of("+CIPHEAD", "+CIPSRIP", "+CIPSHOWTP", "+CIPMODE");

    private ModemContext ctx;
    private Sim800Ip ip;
    private Sim800Sockets sockets;
    private Sim800Time time;

    // network conditions the test controls; they survive reboots
    private int rssi = 20;
    private int ber = 0;
    private int registration = 1;
    private String operatorName = "Simulated Operator";
    private String operatorNumeric = "00101";
    private boolean sslFirmware = true;

    // modem state; lost on power-off
    private int cfun;
    private boolean pinLocked;
    private boolean attached;
    private final int[] regUrcMode = new int[2];   // CREG, CGREG <n>
    private int copsFormat;
    long generation;

    @Override
    public String name() {
        return "sim800";
    }

    @Override
    public void bind(ModemContext context) {
        this.ctx = context;
        this.sockets = new Sim800Sockets(this, context);
        this.ip = new Sim800Ip(this, context, sockets);
        this.time = new Sim800Time(this, context);
    }

    @Override
    public int defaultCmeeMode() {
        return DEFAULT_CMEE;
    }

    // ---- test controls (call through ModemSimulator.control(Sim800Dialect.class, d -> ...)) ----

    public void signal(int rssi, int ber) {
        this.rssi = rssi;
        this.ber = ber;
    }

    /** 27.007 registration stat: 0 not registered, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming. */
    public void registration(int stat) {
        int before = regStat();
        this.registration = stat;
        if (regStat() != before) {
            for (int which = 0; which < 2; which++) {
                if (regUrcMode[which] >= 1) {
                    ctx.urc((which == 0 ? "+CREG: " : "+CGREG: ") + regStat());
                }
            }
        }
    }

    public void operator(String name, String numeric) {
        this.operatorName = name;
        this.operatorNumeric = numeric;
    }

    /** The address the network assigns on {@code AT+CIICR} ({@code AT+CIFSR} shows it). */
    public void localAddress(String address) {
        ip.localAddress(address);
    }

    /** The size {@code AT+CIPSEND?} reports and {@code AT+CIPSEND} enforces ("depends on network status"). */
    public void sendLimit(int bytes) {
        sockets.sendLimit(bytes);
    }

    /** False emulates firmware before R14.18: {@code AT+CIPSSL} answers ERROR in every form (§2D). */
    public void sslFirmware(boolean supported) {
        this.sslFirmware = supported;
    }

    /**
     * QUIRKS 4: the {@code OK} after {@code +CIPRXGET: 2} data follows a bare LF ({@code ...Cache-C\nOK}) instead of
     * {@link #RXGET_AFTER_DATA}, as one real log shows. Off by default.
     */
    public void okAfterDataWithBareLf(boolean on) {
        sockets.okAfterDataWithBareLf(on);
    }

    /** The network's time zone in quarter hours and its DST flag, for {@code *PSUTTZ}, {@code DST} and CCLK. */
    public void timeZone(int quarters, int dst) {
        time.zone(quarters, dst);
    }

    /** The network sends its time now ({@code *PSUTTZ} and {@code DST} URCs, if {@code AT+CLTS=1}). */
    public void networkTime() {
        time.nitz();
    }

    // ---- state shared by the parts ----

    boolean registered() {
        return cfun == 1 && !pinLocked && (registration == 1 || registration == 5);
    }

    boolean attached() {
        return attached && registered();
    }

    boolean sslFirmware() {
        return sslFirmware;
    }

    Sim800Ip ip() {
        return ip;
    }

    Sim800Time time() {
        return time;
    }

    private int regStat() {
        return cfun == 1 && !pinLocked ? registration : 0;
    }

    // ---- power ----

    @Override
    public void powerOn() {
        long gen = generation;
        cfun = 1;
        attached = true;
        pinLocked = ctx.options().pin() != null;
        ctx.urc(BOOT_URCS_BEFORE_PIN.get(0));
        Runnable rest = () -> {
            if (gen != generation) {
                return;
            }
            for (String u : BOOT_URCS_BEFORE_PIN.subList(1, BOOT_URCS_BEFORE_PIN.size())) {
                ctx.urc(u);
            }
            ctx.urc(pinLocked ? "+CPIN: SIM PIN" : "+CPIN: READY");
            if (!pinLocked || !READY_URCS_AFTER_UNLOCK) {
                readyUrcs();
            }
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

    private void readyUrcs() {
        for (String u : BOOT_URCS_AFTER_PIN) {
            ctx.urc(u);
        }
    }

    @Override
    public void powerOff() {
        generation++;
        ip.reset();
        time.reset();
        regUrcMode[0] = regUrcMode[1] = 0;
        copsFormat = 0;
        cfun = 0;
        attached = false;
    }

    // ---- faults ----

    @Override
    public void bearerLoss() {
        ip.bearerLost();
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
            case "I" -> r.line(ATI_TEXT).ok();
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
            case "+COPS" -> cops(c, r);
            case "+CFUN" -> cfun(c, r);
            case "+CGATT" -> cgatt(c, r);
            case "+CIFSR;E0" -> ip.cifsr(c, r, true);
            case "+CIPSHUT", "+CIPMUX", "+CSTT", "+CIICR", "+CIFSR", "+CIPSTATUS", "+CDNSGIP" -> ip.handle(c, r);
            case "+CIPSTART", "+CIPSEND", "+CIPQSEND", "+CIPRXGET", "+CIPCLOSE", "+CIPACK" -> sockets.handle(c, r);
            case "+CIPSSL" -> cipssl(c, r);
            case "+CLTS", "+CCLK" -> time.handle(c, r);
            default -> {
                if (ACCEPTED.contains(c.name())) {
                    r.ok();
                } else if (OFF_ONLY.contains(c.name()) && c.form() == Form.SET && c.arg(0).equals("0")) {
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

    void echo(AtCommand c, Reply r) {
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
                if (READY_URCS_AFTER_UNLOCK) {
                    long gen = generation;
                    r.then(() -> {
                        if (gen == generation) {
                            ctx.urc("+CPIN: READY");
                            readyUrcs();
                        }
                    });
                }
            } else {
                r.cmeError(CmeErrors.INCORRECT_PASSWORD);
            }
        } else if (c.form() == Form.TEST) {
            r.ok();
        } else {
            r.error();
        }
    }

    private void reg(AtCommand c, Reply r, int which, String name) {
        switch (c.form()) {
            case READ -> r.line(name + ": " + regUrcMode[which] + "," + regStat()).ok();
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
                    r.line("+COPS: 0," + copsFormat + ",\"" + op + "\"").ok();
                } else {
                    r.line("+COPS: 0").ok();
                }
            }
            case TEST -> r.line("+COPS: (2,\"" + operatorName + "\",\"" + operatorName + "\",\"" + operatorNumeric
                    + "\"),,(0-4),(0-2)").ok();
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
                if (c.intArgOr(1, 0) == 1) {
                    r.ok().then(ctx::reboot);
                    return;
                }
                if (fun != 1) {
                    ip.radioOff();
                }
                cfun = fun;
                r.ok();
            }
            default -> r.error();
        }
    }

    private void cgatt(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+CGATT: " + (attached() ? 1 : 0)).ok();
            case TEST -> r.line("+CGATT: (0,1)").ok();
            case SET -> {
                int a = c.intArg(0, 0, 1);
                if (a == 1 && !registered()) {
                    r.pause(ctx.conditions().rttMillis()).error();
                    return;
                }
                if (a == 0) {
                    ip.radioOff();
                }
                attached = a == 1;
                r.ok();
            }
            default -> r.error();
        }
    }

    private void cipssl(AtCommand c, Reply r) {
        if (!sslFirmware) {
            r.error();
            return;
        }
        switch (c.form()) {
            case TEST -> r.line("+CIPSSL: (0,1)").ok();
            case READ -> r.line("+CIPSSL: " + (sockets.ssl() ? 1 : 0)).ok();
            case SET -> {
                sockets.ssl(c.intArg(0, 0, 1) == 1);
                r.ok();
            }
            default -> r.error();
        }
    }
}
