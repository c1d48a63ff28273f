package dev.atmodem.driver.ublox;

import dev.atmodem.ModemException;
import dev.atmodem.ModemOptions;
import dev.atmodem.Registration;
import dev.atmodem.at.AtArgs;
import dev.atmodem.at.AtCommand;
import dev.atmodem.at.AtEngine;
import dev.atmodem.at.AtException;
import dev.atmodem.at.AtLine;
import dev.atmodem.at.AtResponse;
import dev.atmodem.at.AtTimeoutException;
import dev.atmodem.at.Cancellation;
import dev.atmodem.at.FollowUp;
import dev.atmodem.at.PayloadRule;
import dev.atmodem.driver.ublox.SaraModels.Family;
import dev.atmodem.link.Printable;
import dev.atmodem.spi.DriverContext;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.Gsm27007;
import dev.atmodem.spi.ReadChunk;
import dev.atmodem.spi.SocketEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SARA-R4/R5 command set (AT-REFERENCE §3): verbose errors, SIM and registration through {@link Gsm27007}; the
 * data context with AT+CGDCONT/AT+UAUTHREQ/AT+CGACT (SARA-R5 also maps it to PSD profile 0 with AT+UPSD and activates
 * that with AT+UPSDA and its {@code +UUPSDA} result); sockets with module-assigned ids (AT+USOCR), AT+USOCO (async with
 * {@code +UUSOCO}, or sync), binary AT+USOWR after the {@code @} prompt or, with ublox.write=hex, HEX mode
 * ({@link SaraWriteMode}), AT+USORD with its inline payload, AT+USOCL;
 * AT+UDNSRN for DNS and AT+CCLK? for the network time.
 */
final class SaraSession implements DriverSession {

    private static final Logger log = LoggerFactory.getLogger(SaraSession.class);

    private static final Pattern TWO_INTS = Pattern.compile("(\\d{1,9})\\s*,\\s*(\\d{1,9})(?!\\d).*");
    private static final Pattern FIRST_INT = Pattern.compile("\\s*(\\d{1,9})(?!\\d).*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern CGEV_PDN_DEACT = Pattern.compile("\\+CGEV: NW (?:PDN )?DEACT\\s*(\\d{1,9})?(?!\\d).*");

    // Default timeouts; each can be overridden by name through ModemOptions.withTimeout (names in quotes).
    /** "CGACT": context activation, ≤150 s (AT-REFERENCE §3A). */
    private static final Duration CGACT_TIMEOUT = Duration.ofSeconds(150);
    /** "UPSDA": PSD profile (de)activation, ≤180 s (§3A legacy figure, also used for SARA-R5). */
    private static final Duration UPSDA_TIMEOUT = Duration.ofSeconds(180);
    /** "UUPSDA": the wait for the {@code +UUPSDA} result after UPSDA's OK (ubxlib waits 3 s; generous here). */
    private static final Duration UUPSDA_TIMEOUT = Duration.ofSeconds(30);
    /** "USOCL": a sync close may take up to 120 s (§3B). */
    private static final Duration USOCL_TIMEOUT = Duration.ofSeconds(120);
    /** "UDNSRN": DNS, 120 s (§3C). */
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(120);
    /**
     * "USOCR", "USOCO" (the async command's own OK, not the connection), "USOWR", "USORD", "USOCTL": these touch only
     * the module's tables and buffers; a modem silent this long is stuck.
     */
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(10);
    /** The only answers to AT+USORD that mean "nothing to read": {@code +USORD: <s>,""}, {@code +USORD: <s>,0}. */
    private static final Pattern EMPTY_READ =
            Pattern.compile("\\+USORD: ?\\d+,(\"\"|0(,\"\")?)\\s*");
    /** A HEX-mode read answer: {@code +USORD: <s>,<len>,"<hex digits>"}. */
    private static final Pattern HEX_READ =
            Pattern.compile("\\+USORD: ?(\\d{1,9}),(\\d{1,9}),\"([0-9A-Fa-f]*)\"\\s*");
    /** "USOWR.prompt": the pause after the {@code @} prompt before the payload (≥ 50 ms, §3B; QUIRKS 2). */
    private static final Duration PROMPT_DELAY = Duration.ofMillis(50);
    /**
     * "USOWR.refused": how long a connected socket without a socket error may refuse every AT+USOWR before the write
     * fails with the QUIRKS 16 explanation (shorter than the write timeout, so the clear message wins).
     */
    private static final Duration REFUSAL_WINDOW = Duration.ofSeconds(20);
    /** "registrationPoll": the pause between registration queries. */
    private static final Duration REGISTRATION_POLL = Duration.ofSeconds(1);

    private static final int TCP_ESTABLISHED = 4;
    private static final int PSD_PROFILE = 0;

    private final DriverContext ctx;
    private final AtEngine at;
    private final ModemOptions options;
    private final Family family;
    private final String model;
    private final int context;
    private volatile boolean asyncConnect;
    /** Binary writes after the prompt, or HEX mode (driver option "ublox.write"), fixed at open time. */
    private final SaraWriteMode writeMode;
    private final java.util.concurrent.locks.ReentrantLock connectLock = new java.util.concurrent.locks.ReentrantLock();
    /** Per socket: when the current run of "connected but refused" USOWR answers began (System.nanoTime). */
    private final Map<Integer, Long> refusedSince = new ConcurrentHashMap<>();
    /** Sockets the module reported closed by the peer: their commands are refused, which is no sign of a restart. */
    private final java.util.Set<Integer> peerClosed = ConcurrentHashMap.newKeySet();
    /** Peer-closed sockets that have had their one read after the +UUSOCL. */
    private final java.util.Set<Integer> drainedAfterClose = ConcurrentHashMap.newKeySet();
    /** True once AT+CMEE=2 is in force; a modem that has forgotten it has restarted. */
    private volatile boolean verboseErrors;
    private volatile String localIp = "";

    SaraSession(DriverContext ctx, Family family) {
        this.ctx = ctx;
        this.at = ctx.at();
        this.options = ctx.options();
        this.family = family;
        this.model = ctx.capabilities().model();
        this.context = parseContext(options.driverOption("ublox.context", "1"));
        String connect = options.driverOption("ublox.connect", "async");
        if (!connect.equals("async") && !connect.equals("sync")) {
            throw new IllegalArgumentException("ublox.connect must be 'async' or 'sync', not '" + connect + "'");
        }
        this.asyncConnect = connect.equals("async");
        // 'auto' decides by the line's rate: the link's when it knows it (a serial port, a paced simulator), else the
        // rate the options name.
        int lineBaud = ctx.link() != null && ctx.link().lineBaud() > 0 ? ctx.link().lineBaud() : options.baud();
        this.writeMode = SaraWriteMode.parse(options.driverOption("ublox.write", "binary"), lineBaud,
                timeout("USOWR.prompt", PROMPT_DELAY));
        if (writeMode == SaraWriteMode.BINARY) {
            // +USORD: <s>,<len>,"<len raw bytes>" : the payload is framed by the length alone (§3B, QUIRKS 3).
            at.addPayloadRule(PayloadRule.inline("\\+USORD: ?(\\d+),(\\d+),\"", 2, '"', "\""));
        }
        // In HEX mode the data is 2*len hex digits: printable, so the answer is an ordinary line (decoded in read).
        SocketEvents events = ctx.events();
        // Per-socket events are recorded on the reader thread, in order with the answers to AT+USOCL.
        at.onUrcRecord(l -> l.startsWith("+UUSORD:"), urc -> {
            Integer id = firstInt(urc.after("+UUSORD:"));
            if (id != null) {
                events.dataReady(id);
            }
        });
        at.onUrcRecord(l -> l.startsWith("+UUSOCL:"), urc -> {
            Integer id = firstInt(urc.after("+UUSOCL:"));
            if (id != null) {
                peerClosed.add(id);
                events.remoteClosed(id);
            }
        });
        at.onUrcPrefix("+UUPSDD:", urc -> events.bearerLost(urc.text()));
        at.onUrc(l -> l.startsWith("+CGEV: NW DETACH") || CGEV_PDN_DEACT.matcher(l).matches(), urc -> {
            Matcher m = CGEV_PDN_DEACT.matcher(urc.text());
            if (m.matches() && m.group(1) != null && Integer.parseInt(m.group(1)) != context) {
                log.debug("{}: another context was deactivated: {}", at.name(), urc.text());
                return;
            }
            events.bearerLost(urc.text());
        });
        // The reference names no SARA boot banner; these are the ones QUIRKS 14 lists for restarting modems.
        at.onUrc(l -> l.equals("RDY") || l.equals("+STARTUP") || l.equals("POWERED DOWN")
                || l.equals("NORMAL POWER DOWN"), urc -> reportReboot(urc.text()));
        at.onUrcPrefix("+UUSOCO:", urc -> log.debug("{}: late connect result: {}", at.name(), urc.text()));
        at.onUrcPrefix("+UUPSDA:", urc -> log.debug("{}: late PSD result: {}", at.name(), urc.text()));
        // Status reports that need no action, logged rather than reported as unknown.
        at.onUrc(l -> l.startsWith("+CFUN:") || l.startsWith("+CPIN:") || l.startsWith("+CREG:")
                || l.startsWith("+CGREG:") || l.startsWith("+CEREG:") || l.startsWith("+CIEV:")
                || l.startsWith("+UMWI:") || l.startsWith("+CTZE:") || l.startsWith("+CTZV:")
                || l.startsWith("+CGEV:"), urc -> log.debug("{}: {}", at.name(), urc.text()));
    }

    private static int parseContext(String s) {
        int c;
        try {
            c = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ublox.context must be a number from 1 to 16, not '" + s + "'");
        }
        if (c < 1 || c > 16) {
            throw new IllegalArgumentException("ublox.context must be from 1 to 16, not " + c);
        }
        return c;
    }

    private Duration timeout(String name, Duration fallback) {
        return ctx.timeout(name, fallback);
    }

    // ---- bring-up and data context ----

    @Override
    public void bringUp() throws IOException {
        at.execute("AT+CMEE=2"); // verbose errors, as the SARA-R4 bring-up in AT-REFERENCE §3A
        verboseErrors = true;
        if (writeMode == SaraWriteMode.HEX) {
            enableHexMode(); // here, not once: recover() runs bringUp again, and a restart forgets the setting
        }
        Gsm27007.unlockSim(at, options.pin());
        log.info("{}: signal {}", at.name(), Gsm27007.signal(at));
        Registration r = Gsm27007.awaitRegistration(at, options.registrationTimeout(),
                timeout("registrationPoll", REGISTRATION_POLL),
                p -> log.info("{}: waiting for the network: {}", at.name(), p));
        log.info("{}: registered, {} on {}", at.name(), r, Gsm27007.operator(at));
        try {
            at.execute("AT+CTZU=1"); // the network's time zone updates the clock (§3D)
        } catch (AtException e) {
            log.debug("{}: AT+CTZU=1 refused ({}); network time may be unavailable", at.name(), e.getMessage());
        }
        // Any restart reported so far has been dealt with by this bring-up: the next one is a new restart, not more
        // chatter of the last (else it is ignored and, with verboseErrors off, never looked for again).
        lastRebootNanos = 0;
    }

    private void enableHexMode() throws IOException {
        try {
            at.execute("AT+UDCONF=1,1"); // HEX mode for AT+USOWR's base syntax and AT+USORD (§3B, §3C)
        } catch (AtException e) {
            throw new ModemException("the modem refused HEX mode (AT+UDCONF=1,1 answered " + e.answer() + "), which"
                    + " the driver option ublox.write=" + options.driverOption("ublox.write", "binary") + " needs;"
                    + " use ublox.write=binary", e);
        }
    }

    @Override
    public void attach() throws IOException {
        if (options.apn() != null) {
            defineContext();
        }
        if (hasCredentials()) {
            setAuthentication();
        }
        if (family == Family.R4 && !model.equals("SARA-R422") && contextActive()) {
            log.info("{}: data context {} already active", at.name(), context);
            return;
        }
        if (family == Family.R4 || !contextActive()) {
            activateContext();
        }
        if (family == Family.R5) {
            activateProfile();
        }
    }

    private boolean hasCredentials() {
        return !options.apnUser().isEmpty() || !options.apnPassword().isEmpty()
                || options.auth() != ModemOptions.Auth.NONE;
    }

    /** AT+CGDCONT for the configured APN, unless the context already carries it. */
    private void defineContext() throws IOException {
        String apn = options.apn();
        AtResponse r = at.execute(AtCommand.of("AT+CGDCONT?").expect("+CGDCONT:").build());
        for (AtLine l : r.lines()) {
            String v = l.after("+CGDCONT:");
            if (v != null && v.startsWith(context + ",") && v.contains("\"" + apn + "\"")) {
                return;
            }
        }
        at.execute("AT+CGDCONT=" + context + ",\"IP\"," + AtArgs.quoted("APN", apn));
    }

    /**
     * AT+UAUTHREQ. SARA-R4 takes the password before the user name, SARA-R5 the user name first (AT-REFERENCE §3A,
     * from ubxlib). The auth codes 0 none, 1 PAP, 2 CHAP, 3 automatic follow ubxlib (the reference lists no table).
     */
    private void setAuthentication() throws IOException {
        String user = AtArgs.quoted("APN user", options.apnUser());
        String password = AtArgs.quotedSecret("APN password", options.apnPassword());
        int auth = switch (options.auth()) {
            case NONE -> 0;
            case PAP -> 1;
            case CHAP -> 2;
            case PAP_OR_CHAP -> 3;
        };
        String pair = family == Family.R4 ? password + "," + user : user + "," + password;
        at.execute(AtCommand.of("AT+UAUTHREQ=" + context + "," + auth + "," + pair)
                .secret(options.apnPassword()).build());
    }

    private boolean contextActive() throws IOException {
        AtResponse r = at.execute(AtCommand.of("AT+CGACT?").expect("+CGACT:").build());
        for (AtLine l : r.lines()) {
            String v = l.after("+CGACT:");
            if (v == null) {
                continue; // a stray line inside the answer
            }
            Matcher m = TWO_INTS.matcher(v);
            if (m.matches() && Integer.parseInt(m.group(1)) == context) {
                return m.group(2).equals("1");
            }
        }
        return false;
    }

    private void activateContext() throws IOException {
        try {
            at.execute(AtCommand.of("AT+CGACT=1," + context).timeout(timeout("CGACT", CGACT_TIMEOUT)).build());
        } catch (AtException e) {
            throw new ModemException("activating the data connection failed (" + e.getMessage() + "): check the"
                    + " APN" + (options.apn() == null ? " (none is configured: ModemOptions.cellular(apn))"
                    : " '" + options.apn() + "'") + ", the APN user and password, and the SIM's data plan", e);
        }
        log.info("{}: data context {} active", at.name(), context);
    }

    /** SARA-R5: PSD profile 0 on our context, activated with AT+UPSDA=0,3 and its +UUPSDA result (§3A). */
    private void activateProfile() throws IOException {
        if (profileActive()) {
            log.info("{}: PSD profile {} already active", at.name(), PSD_PROFILE);
            return;
        }
        at.execute("AT+UPSD=" + PSD_PROFILE + ",0,0");
        at.execute("AT+UPSD=" + PSD_PROFILE + ",100," + context);
        try {
            activateProfileOnce();
        } catch (AtException first) {
            // A half-active profile refuses activation until it is deactivated.
            log.debug("{}: AT+UPSDA=0,3 refused ({}); deactivating and trying again", at.name(), first.getMessage());
            try {
                at.execute(AtCommand.of("AT+UPSDA=" + PSD_PROFILE + ",4").timeout(timeout("UPSDA", UPSDA_TIMEOUT))
                        .build());
            } catch (AtException e) {
                log.debug("{}: AT+UPSDA=0,4 refused: {}", at.name(), e.getMessage());
            }
            activateProfileOnce();
        }
    }

    private void activateProfileOnce() throws IOException {
        try (FollowUp result = at.expectPrefix("+UUPSDA:")) {
            at.execute(AtCommand.of("AT+UPSDA=" + PSD_PROFILE + ",3").timeout(timeout("UPSDA", UPSDA_TIMEOUT))
                    .build());
            AtLine l = result.next(timeout("UUPSDA", UUPSDA_TIMEOUT));
            String v = l.after("+UUPSDA:");
            Integer code = firstInt(v);
            if (code == null || code != 0) {
                throw new ModemException("activating the data connection (PSD profile " + PSD_PROFILE + " on context "
                        + context + ") failed: the modem reported " + l.text() + "; check the APN '"
                        + options.apn() + "' and the SIM's data plan");
            }
            int q1 = v.indexOf('"');
            int q2 = q1 < 0 ? -1 : v.indexOf('"', q1 + 1);
            localIp = q2 > q1 ? v.substring(q1 + 1, q2) : "";
            log.info("{}: PSD profile {} active, local IP {}", at.name(), PSD_PROFILE, localIp);
        }
    }

    private boolean profileActive() throws IOException {
        try {
            String v = at.execute(AtCommand.of("AT+UPSND=" + PSD_PROFILE + ",8").expect("+UPSND:").build())
                    .value("+UPSND:");
            return v != null && v.replace(" ", "").equals(PSD_PROFILE + ",8,1");
        } catch (AtException e) {
            log.debug("{}: AT+UPSND refused ({}); activating the profile", at.name(), e.getMessage());
            return false;
        }
    }

    /** The local IP the network gave the PSD profile (SARA-R5), once attached; "" when unknown. */
    String localIp() {
        return localIp;
    }

    @Override
    public void recover() throws IOException {
        refusedSince.clear();
        // After a lost bearer the module may still hold the old sockets, and it assigns ids itself: free them all.
        for (int id = 0; id < SaraModels.SOCKETS; id++) {
            try {
                at.execute(AtCommand.of("AT+USOCL=" + id).timeout(timeout("USOCL", USOCL_TIMEOUT)).build());
            } catch (AtException e) {
                log.trace("{}: AT+USOCL={} while recovering: {}", at.name(), id, e.getMessage());
            }
        }
        bringUp();
        attach();
    }

    // ---- restarts the modem did not announce ----

    private volatile long lastRebootNanos;

    private void reportReboot(String why) {
        long now = System.nanoTime();
        long last = lastRebootNanos;
        verboseErrors = false;
        if (last != 0 && now - last < Duration.ofSeconds(5).toNanos()) {
            log.debug("{}: more restart chatter: {}", at.name(), why);
            return; // the same restart announcing itself twice
        }
        lastRebootNanos = now;
        ctx.events().rebooted(why);
    }

    /**
     * A socket command failed. If the modem has forgotten AT+CMEE=2, it restarted without a banner we know: report it
     * so the sockets fail with the right reason and the modem is brought back.
     */
    private boolean checkForRestart(AtException failure) {
        if (!verboseErrors) {
            return false;
        }
        try {
            String v = at.execute(AtCommand.of("AT+CMEE?").expect("+CMEE:").timeout(timeout("USOCTL", DATA_TIMEOUT))
                    .build()).value("+CMEE:");
            if (v != null && !v.trim().equals("2")) {
                reportReboot("the modem forgot its error mode (AT+CMEE? = " + v.trim() + ") after " + failure.command()
                        + " answered " + failure.answer() + ": it restarted");
                return true;
            }
        } catch (IOException e) {
            log.debug("{}: AT+CMEE? after a failed socket command: {}", at.name(), e.getMessage());
        }
        return false;
    }

    // ---- sockets ----

    @Override
    public int openTcp(String host, int port, Duration timeout, Cancellation cancel) throws IOException {
        String address = host;
        if (!isIpLiteral(host)) {
            address = resolve(host).get(0).getHostAddress(); // a clear DNS error, and USOCO gets an IP (§3E)
        }
        int id = create(host, port);
        boolean connected = false;
        try {
            connect(id, host, address, port, timeout, cancel);
            connected = true;
            refusedSince.remove(id);
            return id;
        } finally {
            if (!connected) {
                closeQuietly(id);
            }
        }
    }

    /** AT+USOCR=6: the module picks the id (§3B). */
    private int create(String host, int port) throws IOException {
        AtResponse r;
        try {
            r = at.execute(AtCommand.of("AT+USOCR=6").expect("+USOCR:").timeout(timeout("USOCR", DATA_TIMEOUT))
                    .build());
        } catch (AtException e) {
            if (checkForRestart(e)) {
                throw new ModemException("TCP connect to " + host + ":" + port + ": the modem refused AT+USOCR=6 ("
                        + e.answer() + ") because it had restarted; it is being brought back", e);
            }
            throw new ModemException("TCP connect to " + host + ":" + port + ": the modem could not create a socket ("
                    + e.getMessage() + "); all " + SaraModels.SOCKETS + " of its sockets may be in use", e);
        }
        Integer id = firstInt(r.value("+USOCR:"));
        if (id == null || id < 0 || id >= SaraModels.SOCKETS) {
            throw new ModemException("unexpected answer to AT+USOCR=6: " + r.texts());
        }
        peerClosed.remove(id);
        drainedAfterClose.remove(id);
        // The module reuses an id as soon as its close answered; the socket engine may still be finishing that close.
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!ctx.events().mayReuse(id) && System.nanoTime() < until) {
            sleep(5);
        }
        return id;
    }

    private void connect(int id, String host, String address, int port, Duration timeout, Cancellation cancel)
            throws IOException {
        if (!asyncConnect) {
            connectSync(id, host, address, port, timeout, cancel);
            return;
        }
        // "It is not possible to connect a second socket before the reception of the +UUSOCO URC related to the
        // pending socket connection" (§3B): one async connect at a time.
        try {
            if (!connectLock.tryLock(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new ModemException("TCP connect to " + host + ":" + port + " waited " + timeout.toSeconds()
                        + " s for the modem's other connect to finish", new AtTimeoutException("AT+USOCO",
                        "another connect was still pending"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to connect");
        }
        try {
            connectAsync(id, host, address, port, timeout, cancel);
        } finally {
            connectLock.unlock();
        }
    }

    private void connectAsync(int id, String host, String address, int port, Duration timeout, Cancellation cancel)
            throws IOException {
        String prefix = "+UUSOCO: " + id + ",";
        try (FollowUp result = at.expect(l -> l.startsWith("+UUSOCO:") && Integer.valueOf(id).equals(
                firstInt(l.substring("+UUSOCO:".length()))), "the connect result '" + prefix + "<err>'")) {
            try {
                at.execute(AtCommand.of("AT+USOCO=" + id + "," + AtArgs.quoted("host", address) + "," + port + ",1")
                        .timeout(timeout("USOCO", DATA_TIMEOUT)).build(), cancel);
            } catch (AtException e) {
                int err = socketError(id);
                if ((err <= UbloxErrors.NONE || err == UbloxErrors.INVALID_ARGUMENT) && refusesParameters(e)) {
                    // The module does not take the async form (SARA-R410M-01B, §3B). Use sync from now on.
                    log.info("{}: the modem refused the async AT+USOCO ({}); connecting synchronously from now on",
                            at.name(), e.answer());
                    asyncConnect = false;
                    connectSync(id, host, address, port, timeout, cancel);
                    return;
                }
                throw connectFailed(host, port, e.answer(), err, e, checkForRestart(e));
            }
            AtLine line;
            try {
                line = result.next(timeout, cancel);
            } catch (AtTimeoutException e) {
                throw new ModemException("TCP connect to " + host + ":" + port + " got no answer from the modem within "
                        + timeout.toSeconds() + " s", e);
            }
            Integer err = firstInt(line.text().substring(line.text().indexOf(',') + 1));
            if (err == null) {
                throw new ModemException("unexpected connect result from the modem: " + line.text());
            }
            if (err != UbloxErrors.NONE) {
                throw connectFailed(host, port, line.text(), err, null, false);
            }
        }
    }

    private void connectSync(int id, String host, String address, int port, Duration timeout, Cancellation cancel)
            throws IOException {
        try {
            at.execute(AtCommand.of("AT+USOCO=" + id + "," + AtArgs.quoted("host", address) + "," + port)
                    .timeout(timeout).build(), cancel);
        } catch (AtException e) {
            int err = socketError(id);
            throw connectFailed(host, port, e.answer(), err, e, checkForRestart(e));
        } catch (AtTimeoutException e) {
            throw new ModemException("TCP connect to " + host + ":" + port + " got no answer from the modem within "
                    + timeout.toSeconds() + " s", e);
        }
    }

    /** "operation not supported" (4) or "incorrect parameters" (50), as numbers or in words. */
    private static boolean refusesParameters(AtException e) {
        Integer code = e.code();
        String text = (e.answer() + " " + e.meaning()).toLowerCase(Locale.ROOT);
        return code != null && (code == 4 || code == 50) || text.contains("not supported")
                || text.contains("incorrect parameters") || text.contains("invalid parameter");
    }

    private static ModemException connectFailed(String host, int port, String answer, int err, Exception cause,
                                                boolean restarted) {
        String why = err > 0 ? UbloxErrors.describe(err) : answer;
        ModemException e = new ModemException("TCP connect to " + host + ":" + port + " failed on the modem (" + why
                + ")" + (err > 0 && cause != null ? "; the modem answered " + answer : "")
                + (restarted ? "; the modem had restarted and is being brought back" : ""));
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The socket's last error (AT+USOCTL=<s>,1, else AT+USOER), or -1 when the modem does not say. */
    private int socketError(int id) throws IOException {
        Integer v = socketControl(id, 1);
        if (v != null) {
            return v;
        }
        try {
            Integer e = firstInt(at.execute(AtCommand.of("AT+USOER").expect("+USOER:")
                    .timeout(timeout("USOCTL", DATA_TIMEOUT)).build()).value("+USOER:"));
            return e == null ? -1 : e;
        } catch (AtException e) {
            log.debug("{}: AT+USOER refused: {}", at.name(), e.getMessage());
            return -1;
        }
    }

    /** The value of AT+USOCTL=<s>,<param>, or null when refused (the socket is gone) or not understood. */
    private Integer socketControl(int id, int param) throws IOException {
        try {
            String v = at.execute(AtCommand.of("AT+USOCTL=" + id + "," + param).expect("+USOCTL:")
                    .timeout(timeout("USOCTL", DATA_TIMEOUT)).build()).value("+USOCTL:");
            if (v == null) {
                return null;
            }
            String[] f = v.split(",");
            return f.length >= 3 ? firstInt(f[2]) : null;
        } catch (AtException e) {
            log.debug("{}: AT+USOCTL={},{} refused: {}", at.name(), id, param, e.getMessage());
            return null;
        }
    }

    @Override
    public int send(int id, byte[] b, int off, int len, Cancellation cancel) throws IOException {
        if (writeMode == SaraWriteMode.HEX) {
            len = Math.min(len, SaraWriteMode.HEX_CHUNK); // the engine sends the rest, as after a short write
        }
        AtCommand write = writeMode == SaraWriteMode.HEX ? hexWrite(id, b, off, len) : binaryWrite(id, b, off, len);
        AtResponse r;
        try {
            r = at.execute(write, cancel);
        } catch (AtException e) {
            return refusedWrite(id, e);
        }
        refusedSince.remove(id);
        String v = r.value("+USOWR:");
        if (v == null) {
            return 0; // a bare OK without +USOWR: nothing was sent (ubxlib, §3B); the engine tries again
        }
        Matcher m = TWO_INTS.matcher(v);
        if (!m.matches() || Integer.parseInt(m.group(1)) != id) {
            throw new ModemException("unexpected answer to AT+USOWR=" + id + "," + len + ": " + v);
        }
        int sent = Integer.parseInt(m.group(2));
        if (sent > len) {
            throw new ModemException("the modem claims to have sent " + sent + " of " + len + " bytes on socket " + id);
        }
        return sent; // fewer than len: the module segmented the data (§3B); the engine sends the rest
    }

    /** Binary syntax: the command, the {@code @} prompt, the pause, then the raw bytes (§3B). */
    private AtCommand binaryWrite(int id, byte[] b, int off, int len) {
        return AtCommand.of("AT+USOWR=" + id + "," + len).payload(b, off, len).prompt('@')
                .promptDelay(timeout("USOWR.prompt", PROMPT_DELAY)).expect("+USOWR:")
                .timeout(timeout("USOWR", DATA_TIMEOUT)).build();
    }

    /** HEX mode, base syntax: the data inline as 2*len hex digits, no prompt and no pause (§3B). */
    private AtCommand hexWrite(int id, byte[] b, int off, int len) {
        String hex = HexFormat.of().withUpperCase().formatHex(b, off, off + len);
        return AtCommand.of("AT+USOWR=" + id + "," + len + ",\"" + hex + "\"").expect("+USOWR:")
                .timeout(timeout("USOWR", DATA_TIMEOUT)).build();
    }

    /**
     * AT+USOWR was refused. A full queue (socket error 11) is back-pressure: 0, try again. A socket that is no longer
     * established, or has an error, fails the write in plain words. A connected socket without an error that keeps
     * refusing is the SARA-R4 state of QUIRKS 16: retried for a while, then a clear error.
     */
    private int refusedWrite(int id, AtException e) throws IOException {
        if (peerClosed.contains(id)) {
            refusedSince.remove(id);
            throw new ModemException("the modem refused to send on socket " + id + " (" + e.answer() + "): the peer"
                    + " has closed the connection", e);
        }
        checkForRestart(e);
        int err = socketError(id);
        if (err == UbloxErrors.QUEUE_FULL) {
            return 0;
        }
        Integer state = socketControl(id, 10);
        if (state == null && err < 0) {
            refusedSince.remove(id);
            throw new ModemException("the modem refused to send on socket " + id + " (" + e.answer() + ") and no"
                    + " longer knows the socket: the connection is gone", e);
        }
        if (err > 0 || state != null && state != TCP_ESTABLISHED) {
            refusedSince.remove(id);
            throw new ModemException("the modem refused to send on socket " + id + " (" + e.answer() + "): "
                    + (err > 0 ? UbloxErrors.describe(err) : "no socket error") + ", TCP state "
                    + (state == null ? "unknown" : UbloxErrors.tcpState(state)), e);
        }
        long now = System.nanoTime();
        long since = refusedSince.computeIfAbsent(id, k -> now);
        Duration window = timeout("USOWR.refused", REFUSAL_WINDOW);
        if (now - since > window.toNanos()) {
            refusedSince.remove(id);
            throw new ModemException("the modem has refused every AT+USOWR on socket " + id + " for "
                    + window.toSeconds() + " s (" + e.answer() + ") although the connection is established and has"
                    + " no socket error; SARA-R4 modules are known to get into this state after hours of work: close"
                    + " the socket and open a new one", e);
        }
        return 0;
    }

    @Override
    public ReadChunk read(int id, int max) throws IOException {
        if (peerClosed.contains(id) && !drainedAfterClose.add(id)) {
            // +UUSOCL comes only once the module's data was read (§3B, QUIRKS 12), and one read after it came back
            // empty or refused: nothing is left to ask for.
            return ReadChunk.EMPTY;
        }
        if (writeMode == SaraWriteMode.HEX) {
            max = Math.min(max, SaraWriteMode.HEX_CHUNK);
        }
        AtResponse r;
        try {
            r = at.execute(AtCommand.of("AT+USORD=" + id + "," + max).expect("+USORD:")
                    .timeout(timeout("USORD", DATA_TIMEOUT)).build());
        } catch (AtException e) {
            if (!peerClosed.contains(id)) {
                checkForRestart(e);
            }
            throw e;
        }
        AtLine l = r.line("+USORD:");
        if (l == null) {
            throw new ModemException("unexpected answer to AT+USORD=" + id + "," + max + ": " + r.texts());
        }
        if (l.payload() == null) {
            if (writeMode == SaraWriteMode.HEX && !EMPTY_READ.matcher(l.text()).matches()) {
                return chunk(hexRead(l, id, max));
            }
            if (!EMPTY_READ.matcher(l.text()).matches()) {
                // A header the payload rule refused (a negative or absurd length) is an error, not "nothing to read":
                // taking it as empty would silently drop whatever the modem handed over.
                throw new ModemException("unexpected answer to AT+USORD=" + id + "," + max + ": '"
                        + Printable.of(l.text().length() > 80 ? l.text().substring(0, 80) + "..." : l.text()) + "'");
            }
            return ReadChunk.EMPTY; // +USORD: <s>,"" (SARA-R4 with nothing to read, §3B) or +USORD: <s>,0
        }
        byte[] data = l.payload();
        if (data.length > max) {
            throw new ModemException("the modem returned " + data.length + " bytes for AT+USORD=" + id + "," + max);
        }
        return chunk(data);
    }

    /** Keep reading until a read comes back empty: +UUSORD can be missed while a read runs (QUIRKS 11). */
    private static ReadChunk chunk(byte[] data) {
        return new ReadChunk(data, data.length == 0 ? 0 : -1);
    }

    /** {@code +USORD: <s>,<len>,"<2*len hex digits>"} (HEX mode, §3B): the digits must match the length exactly. */
    private static byte[] hexRead(AtLine l, int id, int max) throws ModemException {
        Matcher m = HEX_READ.matcher(l.text());
        if (!m.matches() || Integer.parseInt(m.group(1)) != id) {
            throw new ModemException("unexpected answer to AT+USORD=" + id + "," + max + " in HEX mode: '"
                    + Printable.of(l.text().length() > 80 ? l.text().substring(0, 80) + "..." : l.text()) + "'");
        }
        int len = Integer.parseInt(m.group(2));
        String hex = m.group(3);
        if (len > max || hex.length() != 2 * len) {
            throw new ModemException("the modem announced " + len + " bytes for AT+USORD=" + id + "," + max
                    + " in HEX mode and sent " + hex.length() + " hex digits");
        }
        return HexFormat.of().parseHex(hex);
    }

    @Override
    public void close(int id) throws IOException {
        refusedSince.remove(id);
        peerClosed.remove(id);
        drainedAfterClose.remove(id);
        try {
            at.execute(AtCommand.of("AT+USOCL=" + id).timeout(timeout("USOCL", USOCL_TIMEOUT)).build());
        } catch (AtException e) {
            // After +UUSOCL the module has already closed it (§3B, +CME ERROR: Operation not allowed).
            log.debug("{}: AT+USOCL={}: {} (already closed on the modem)", at.name(), id, e.getMessage());
        }
    }

    private void closeQuietly(int id) {
        try {
            close(id);
        } catch (IOException e) {
            log.debug("{}: AT+USOCL={} after a failed connect: {}", at.name(), id, e.getMessage());
        }
    }

    // ---- DNS and time ----

    @Override
    public List<InetAddress> resolve(String host) throws IOException {
        AtArgs.host(host);
        AtResponse r;
        try {
            r = at.execute(AtCommand.of("AT+UDNSRN=0," + AtArgs.quoted("host", host)).expect("+UDNSRN:")
                    .timeout(timeout("UDNSRN", DNS_TIMEOUT)).build());
        } catch (AtException e) {
            boolean restarted = checkForRestart(e);
            throw new ModemException("DNS lookup of '" + host + "' failed on the modem (" + e.answer() + ")"
                    + (restarted ? ": the modem had restarted and is being brought back" : ""), e);
        }
        List<InetAddress> out = new ArrayList<>();
        for (AtLine l : r.lines()) {
            String v = l.after("+UDNSRN:");
            if (v == null) {
                continue;
            }
            for (String part : v.split(",")) {
                String ip = part.replace("\"", "").trim();
                if (ip.isEmpty()) {
                    continue;
                }
                if (!IP_LITERAL.matcher(ip).matches() || !ip.contains(".") && !ip.contains(":")) {
                    throw new ModemException("the modem's DNS answer for '" + host + "' is not an IP address: " + ip);
                }
                // getByName on a literal parses it without any lookup on the host
                out.add(InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress()));
            }
        }
        if (out.isEmpty()) {
            throw new ModemException("DNS lookup of '" + host + "' on the modem returned no address");
        }
        return out;
    }

    @Override
    public Optional<Instant> networkTime() throws IOException {
        return Gsm27007.clock(at);
    }

    // ---- helpers ----

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    private static Integer firstInt(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = FIRST_INT.matcher(s);
        return m.matches() ? Integer.valueOf(m.group(1)) : null;
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    @Override
    public String toString() {
        return "SaraSession[" + model + ", " + family.name().toLowerCase(Locale.ROOT) + ", context " + context + "]";
    }
}
