package dev.atmodem.driver.sim800;

import dev.atmodem.ModemException;
import dev.atmodem.ModemOptions;
import dev.atmodem.ModemSetupException;
import dev.atmodem.Registration;
import dev.atmodem.at.AtArgs;
import dev.atmodem.at.AtCancelledException;
import dev.atmodem.at.AtCommand;
import dev.atmodem.at.AtEngine;
import dev.atmodem.at.AtException;
import dev.atmodem.at.AtLine;
import dev.atmodem.at.AtResponse;
import dev.atmodem.at.AtTimeoutException;
import dev.atmodem.at.Cancellation;
import dev.atmodem.at.FollowUp;
import dev.atmodem.at.PayloadRule;
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
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SIM800 command set in multi-connection mode (AT-REFERENCE §2).
 *
 * <p>Attach walks the IP state machine: {@code AT+CIPSTATUS} tells the state; anything but IP INITIAL is reset with
 * {@code AT+CIPSHUT} ({@code SHUT OK}); then {@code AT+CIPMUX=1}, the receive and send modes, {@code AT+CSTT} with
 * the APN, {@code AT+CIICR} and {@code AT+CIFSR}, which answers with the bare local IP and no {@code OK}.
 *
 * <p>Sockets: {@code AT+CIPSTART=<n>,"TCP",...} answers {@code OK} and later {@code <n>, CONNECT OK} (or
 * {@code CONNECT FAIL}, {@code ALREADY CONNECT}); {@code AT+CIPSEND=<n>,<len>} with the {@code > } prompt, answered
 * {@code <n>, SEND OK} / {@code <n>, SEND FAIL} (or {@code DATA ACCEPT:<n>,<len>} in quick-send mode);
 * {@code AT+CIPRXGET=2,<n>,<len>} answers {@code +CIPRXGET: 2,<n>,<got>,<left>} and the bytes;
 * {@code AT+CIPCLOSE=<n>} answers {@code <n>, CLOSE OK}.
 *
 * <p>Timeouts, by the name {@code ModemOptions.withTimeout} takes: {@code CGATT} 75 s, {@code CIPSHUT} 60 s,
 * {@code CSTT} 10 s, {@code CIICR} 60 s, {@code CIFSR} 10 s, {@code CIPSTATUS} 10 s, {@code CIPSTART} 75 s (the
 * longest wait for the connect result; a shorter connect timeout wins), {@code CIPSEND} 30 s, {@code CIPRXGET} 10 s,
 * {@code CIPCLOSE} 15 s, {@code CDNSGIP} 20 s, {@code registrationPoll} 1 s.
 */
final class Sim800Session implements DriverSession {

    private static final Logger log = LoggerFactory.getLogger(Sim800Session.class);

    // Default timeouts; each can be overridden by name through ModemOptions.withTimeout.
    /** Not given by the reference; attaching to GPRS can take a while on a busy network. */
    static final Duration CGATT_TIMEOUT = Duration.ofSeconds(75);
    /** TinyGSM's figure (AT-REFERENCE §2B "Close and shut"). */
    static final Duration CIPSHUT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration CSTT_TIMEOUT = Duration.ofSeconds(10);
    /** TinyGSM waits 60 s; the manual's maximum is unconfirmed (AT-REFERENCE §2A). */
    static final Duration CIICR_TIMEOUT = Duration.ofSeconds(60);
    static final Duration CIFSR_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CIPSTATUS_TIMEOUT = Duration.ofSeconds(10);
    /** The manual's maximum response time in multi-IP mode (AT-REFERENCE §2B "Open"). */
    static final Duration CIPSTART_TIMEOUT = Duration.ofSeconds(75);
    /** Without quick send, SEND OK waits for the network; the modem itself gives up much later (645 s). */
    static final Duration CIPSEND_TIMEOUT = Duration.ofSeconds(30);
    /** Reading only touches the module's buffer: a modem silent this long is stuck. */
    static final Duration CIPRXGET_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CIPCLOSE_TIMEOUT = Duration.ofSeconds(15);
    /** The modem's own DNS limit is 14 s (AT-REFERENCE §2D); its failure answer arrives within that. */
    static final Duration CDNSGIP_TIMEOUT = Duration.ofSeconds(20);
    static final Duration REGISTRATION_POLL = Duration.ofSeconds(1);
    /** How long after OK the STATE line of AT+CIPSTATUS may take. */
    private static final Duration STATE_LINE_WAIT = Duration.ofSeconds(2);

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    /** {@code <n>, <TEXT>}: SIMCom per-connection results, comma and space (AT-REFERENCE §2B, QUIRKS 7). */
    private static final Pattern PER_CONNECTION = Pattern.compile("(\\d{1,2}), ?([A-Z ]+)");
    private static final Pattern RXGET_DATA = Pattern.compile("\\+CIPRXGET: ?2,(\\d{1,2}),(\\d{1,9}),(\\d{1,9})");
    private static final Pattern RXGET_READY = Pattern.compile("\\+CIPRXGET: ?1,(\\d{1,2})");
    private static final Pattern RECEIVE = Pattern.compile("\\+RECEIVE,(\\d{1,2}),(\\d{1,9}):");
    private static final Pattern CIPSEND_SIZE = Pattern.compile("\\+CIPSEND: ?(\\d{1,2}),(\\d{1,9})");
    private static final Pattern DATA_ACCEPT = Pattern.compile("DATA ACCEPT: ?(\\d{1,2}),(\\d{1,9})");
    private static final Pattern CDNSGIP_OK = Pattern.compile("\\+CDNSGIP: ?1,\"([^\"]*)\"((?:,\"[^\"]*\")*)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private final DriverContext ctx;
    private final AtEngine at;
    private final ModemOptions options;
    private final boolean push;
    private final boolean quickSend;
    private final int maxSockets;
    private final BitSet used = new BitSet();
    /** Per id: the send limit AT+CIPSEND? reported after the connect (at most the model's chunk). */
    private final int[] sendLimit;
    /** False until the first bring-up and attach finished: boot chatter then is part of opening, not a fault. */
    private volatile boolean live;
    private volatile String localIp = "";
    /**
     * Counts reboot and bearer-loss lines as the reader thread sees them, in stream order: a command that fails after
     * one of them (a send hitting a freshly restarted modem) can say why, even before the URC handler ran.
     */
    private final java.util.concurrent.atomic.AtomicLong faultEpoch = new java.util.concurrent.atomic.AtomicLong();
    private volatile String lastFault = "";
    /** The fault count the data connection was last brought up at: sockets are refused while it differs. */
    private volatile long attachedEpoch;

    Sim800Session(DriverContext ctx) {
        this.ctx = ctx;
        this.at = ctx.at();
        this.options = ctx.options();
        this.maxSockets = ctx.capabilities().maxSockets();
        this.sendLimit = new int[maxSockets];
        Arrays.fill(sendLimit, ctx.capabilities().maxSendChunk());
        String receive = options.driverOption("sim800.receive", "manual");
        if (!receive.equals("manual") && !receive.equals("push")) {
            throw new IllegalArgumentException("sim800.receive must be 'manual' or 'push', not '" + receive + "'");
        }
        this.push = receive.equals("push");
        String quick = options.driverOption("sim800.quickSend", "true");
        if (!quick.equals("true") && !quick.equals("false")) {
            throw new IllegalArgumentException("sim800.quickSend must be 'true' or 'false', not '" + quick + "'");
        }
        this.quickSend = quick.equals("true");

        // Payloads are framed only by the announced length (QUIRKS 3).
        at.addPayloadRule(PayloadRule.afterLine("\\+CIPRXGET: ?2,\\d+,(\\d+),\\d+", 1));
        at.addPayloadRule(PayloadRule.afterLine("\\+RECEIVE,\\d+,(\\d+):", 1));

        SocketEvents events = ctx.events();
        // Per-connection events are recorded on the reader thread, in order with the answers to AT+CIPCLOSE, so a
        // closed connection's event never reaches the next connection on the same id.
        at.onUrcRecord(l -> RXGET_READY.matcher(l).matches(), urc -> {
            Matcher m = RXGET_READY.matcher(urc.text());
            if (m.matches()) {
                events.dataReady(Integer.parseInt(m.group(1)));
            }
        });
        at.onUrcRecord(l -> l.startsWith("+RECEIVE,"), urc -> {
            Matcher m = RECEIVE.matcher(urc.text());
            if (m.matches() && urc.hasPayload()) {
                events.dataPushed(Integer.parseInt(m.group(1)), urc.payload());
            } else {
                log.warn("{}: malformed push-mode data line '{}'", at.name(), urc.text());
            }
        });
        at.onUrcRecord(l -> isPerConnection(l, "CLOSED"), urc -> {
            Matcher m = PER_CONNECTION.matcher(urc.text());
            if (m.matches()) {
                events.remoteClosed(Integer.parseInt(m.group(1)));
            }
        });
        at.onUrc(l -> noteFault(l, l.equals("+PDP: DEACT")), urc -> {
            if (live) {
                events.bearerLost(urc.text());
            } else {
                log.warn("{}: {} while bringing the modem up", at.name(), urc.text());
            }
        });
        at.onUrc(l -> noteFault(l, l.equals("RDY") || l.equals("NORMAL POWER DOWN") || l.equals("POWERED DOWN")
                || l.startsWith("UNDER-VOLTAGE POWER DOWN") || l.startsWith("OVER-VOLTAGE POWER DOWN")), urc -> {
            if (live) {
                events.rebooted(urc.text());
            } else {
                log.warn("{}: '{}' while bringing the modem up", at.name(), urc.text());
            }
        });
        // Boot chatter, status reports, late connect results and the tail of AT+CIPSTATUS: nothing to do.
        at.onUrc(l -> l.equals("Call Ready") || l.equals("SMS Ready") || l.startsWith("+CFUN:")
                        || l.startsWith("+CPIN:") || l.startsWith("*PSNWID:") || l.startsWith("*PSUTTZ:")
                        || l.startsWith("+CTZV:") || l.startsWith("DST:") || l.startsWith("+CIEV:")
                        || l.startsWith("+CREG:") || l.startsWith("+CGREG:") || l.startsWith("C: ")
                        || l.startsWith("S: ") || l.startsWith("STATE: ")
                        || isPerConnection(l, "CONNECT OK") || isPerConnection(l, "CONNECT FAIL")
                        || isPerConnection(l, "ALREADY CONNECT"),
                urc -> log.debug("{}: {}", at.name(), urc.text()));
    }

    /** Runs on the reader thread as part of URC matching: counts a fault line before its handler runs. */
    private boolean noteFault(String line, boolean isFault) {
        if (isFault) {
            lastFault = line;
            faultEpoch.incrementAndGet();
            at.wakeWaiters(); // untilFault cancellations are announced
        }
        return isFault;
    }

    /**
     * The command that failed with {@code e} after the modem restarted or lost its data connection (seen since
     * {@code epoch}): an exception that says so; otherwise {@code e} itself.
     */
    private IOException explain(IOException e, long epoch, String what) {
        if (faultEpoch.get() == epoch) {
            return e;
        }
        return new ModemException(what + " failed because " + faultText(), e);
    }

    private static boolean isPerConnection(String line, String text) {
        Matcher m = PER_CONNECTION.matcher(line);
        return m.matches() && m.group(2).equals(text);
    }

    /** Matches {@code <id>, <text>} for one id and one of the texts. */
    private static Predicate<String> result(int id, String... texts) {
        return line -> {
            Matcher m = PER_CONNECTION.matcher(line);
            if (!m.matches() || Integer.parseInt(m.group(1)) != id) {
                return false;
            }
            for (String t : texts) {
                if (m.group(2).equals(t)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static String resultText(String line) {
        Matcher m = PER_CONNECTION.matcher(line);
        return m.matches() ? m.group(2) : line;
    }

    private Duration timeout(String name, Duration fallback) {
        return ctx.timeout(name, fallback);
    }

    // ---- bring-up and attach ----

    @Override
    public void bringUp() throws IOException {
        bringUp(faultEpoch.get(), false);
    }

    /**
     * Error mode, SIM, signal, registration. In a recovery ({@code abortOnFault}) a reboot or bearer loss since
     * {@code epoch} ends it at once: a modem that restarted meanwhile has locked its SIM again and would never
     * register, so waiting for the network would only run into the registration timeout.
     */
    private void bringUp(long epoch, boolean abortOnFault) throws IOException {
        if (abortOnFault) {
            at.execute("ATE0"); // a restart just before the recovery began switched echo back on
        }
        at.execute("AT+CMEE=2");
        Gsm27007.unlockSim(at, options.pin());
        log.info("{}: signal {}", at.name(), Gsm27007.signal(at));
        Registration r;
        try {
            r = Gsm27007.awaitRegistration(at, options.registrationTimeout(),
                    timeout("registrationPoll", REGISTRATION_POLL), p -> {
                        if (abortOnFault && faultEpoch.get() != epoch) {
                            throw new FaultSeen();
                        }
                        log.info("{}: waiting for the network: {}", at.name(), p);
                    });
        } catch (FaultSeen e) {
            throw new ModemException("waiting for the network stopped: " + faultText());
        }
        log.info("{}: registered, {} on {}", at.name(), r, Gsm27007.operator(at));
        try {
            at.execute("AT+CLTS=1"); // the network's time into the modem clock (AT+CCLK?)
        } catch (AtException e) {
            log.debug("{}: AT+CLTS=1 refused ({}); network time may be unknown", at.name(), e.getMessage());
        }
        if (abortOnFault && faultEpoch.get() != epoch) {
            throw new ModemException("bringing the modem up stopped: " + faultText());
        }
        if (!options.attach()) {
            attachedEpoch = live ? epoch : faultEpoch.get();
            live = true;
        }
    }

    /** Thrown from the registration progress callback (which cannot throw IOException) when a fault arrived. */
    private static final class FaultSeen extends RuntimeException {
        FaultSeen() {
            super(null, null, false, false);
        }
    }

    @Override
    public void attach() throws IOException {
        attach(false, faultEpoch.get());
    }

    private void attach(boolean forceShut, long epoch) throws IOException {
        String apn = options.apn();
        if (apn == null) {
            throw new ModemSetupException("the SIM800 needs an APN to open its data connection: use"
                    + " ModemOptions.cellular(apn), or withAttach(false)");
        }
        // A reboot or +PDP: DEACT (expected around AT+CIICR) stops the attach at once instead of leaving a long
        // command to wait out its timeout for an answer the restarted modem will never send.
        Cancellation stop = untilFault(epoch, Cancellation.NONE);
        try {
            try {
                at.execute(AtCommand.of("AT+CGATT=1").timeout(timeout("CGATT", CGATT_TIMEOUT)).build(), stop);
            } catch (AtException e) {
                throw new ModemException("attaching to the packet network (AT+CGATT=1) failed: " + e.getMessage()
                        + "; check that the SIM has a data plan", e);
            }
            String state = ipState(stop);
            log.debug("{}: IP state {}", at.name(), state);
            if (forceShut || !state.equals("IP INITIAL")) {
                shut(stop); // any other state, even an attached one: CIPMUX can only change in IP INITIAL
            }
            at.execute(AtCommand.of("AT+CIPMUX=1").build(), stop);
            at.execute(AtCommand.of("AT+CIPQSEND=" + (quickSend ? 1 : 0)).build(), stop);
            at.execute(AtCommand.of("AT+CIPRXGET=" + (push ? 0 : 1)).build(), stop);
            at.execute(AtCommand.of("AT+CSTT=" + AtArgs.quoted("APN", apn) + ","
                    + AtArgs.quoted("APN user", options.apnUser()) + ","
                    + AtArgs.quotedSecret("APN password", options.apnPassword()))
                    .secret(options.apnPassword()).timeout(timeout("CSTT", CSTT_TIMEOUT)).build(), stop);
            try {
                at.execute(AtCommand.of("AT+CIICR").timeout(timeout("CIICR", CIICR_TIMEOUT)).build(), stop);
            } catch (AtException e) {
                throw new ModemException("activating the data connection (AT+CIICR) failed (" + e.getMessage()
                        + "): check the APN '" + apn + "', the APN user and password, and the SIM's data plan", e);
            }
            AtResponse ip = at.execute(AtCommand.of("AT+CIFSR").finalLine(IPV4)
                    .timeout(timeout("CIFSR", CIFSR_TIMEOUT)).build(), stop);
            if (faultEpoch.get() != epoch) {
                throw new AtCancelledException("a fault arrived with the local address");
            }
            localIp = ip.finalLine();
        } catch (IOException e) {
            throw explain(e, epoch, "bringing up the data connection (APN " + apn + ")");
        }
        // Faults during the very first bring-up were not reported (the modem was not open yet): start counting here.
        attachedEpoch = live ? epoch : faultEpoch.get();
        live = true;
        log.info("{}: data connection up (APN {}), local IP {}", at.name(), apn, localIp);
    }

    /** {@code AT+CIPSHUT}: closes every connection and deactivates the context; the IP state is IP INITIAL after. */
    private void shut(Cancellation stop) throws IOException {
        try {
            at.execute(AtCommand.of("AT+CIPSHUT").finalLine(l -> l.equals("SHUT OK"))
                    .timeout(timeout("CIPSHUT", CIPSHUT_TIMEOUT)).build(), stop);
        } catch (AtException e) {
            throw new ModemException("resetting the modem's IP stack (AT+CIPSHUT) failed: " + e.getMessage(), e);
        }
    }

    /** The {@code STATE:} of {@code AT+CIPSTATUS}, which the SIM800 sends after its {@code OK}. */
    String ipState(Cancellation stop) throws IOException {
        try (FollowUp state = at.expect(l -> l.startsWith("STATE:"), "the STATE line of AT+CIPSTATUS")) {
            at.execute(AtCommand.of("AT+CIPSTATUS").timeout(timeout("CIPSTATUS", CIPSTATUS_TIMEOUT)).build(), stop);
            return state.next(STATE_LINE_WAIT, stop).after("STATE:");
        }
    }

    /** Cancels a wait when {@code also} does or when a reboot or bearer loss arrived since {@code epoch}. */
    private Cancellation untilFault(long epoch, Cancellation also) {
        java.util.function.BooleanSupplier fired = () -> faultEpoch.get() != epoch || also.isCancelled();
        // a fault announces itself (noteFault), so this is announced when the other half is
        return also.isAnnounced() ? Cancellation.announced(fired) : fired::getAsBoolean;
    }

    /** The local IP of the data connection, once attached. */
    String localIp() {
        return localIp;
    }

    @Override
    public void recover() throws IOException {
        // Faults during a recovery are still reported (live stays true): the supervisor then runs it again.
        synchronized (used) {
            used.clear();
            Arrays.fill(sendLimit, ctx.capabilities().maxSendChunk());
        }
        long epoch = faultEpoch.get();
        bringUp(epoch, true);
        attach(true, epoch);
    }

    // ---- sockets ----

    @Override
    public int openTcp(String host, int port, Duration timeout, Cancellation cancel) throws IOException {
        AtArgs.host(host);
        AtArgs.port(port);
        int id = allocate();
        boolean open = false;
        try {
            for (int attempt = 0; ; attempt++) {
                String result = tryOpen(id, host, port, timeout, cancel);
                if (result.equals("CONNECT OK")) {
                    open = true;
                    readSendLimit(id);
                    return id;
                }
                if (result.equals("ALREADY CONNECT") && attempt == 0) {
                    closeQuietly(id); // left open on the modem (after a fault): close it and try once more
                    continue;
                }
                if (!result.equals("CONNECT FAIL")) {
                    closeQuietly(id);
                }
                throw new ModemException("TCP connect to " + host + ":" + port + " failed on the modem ("
                        + SimcomErrors.connectResult(result) + ")");
            }
        } finally {
            if (!open) {
                release(id);
            }
        }
    }

    /** One AT+CIPSTART and its follow-up; returns the result text ({@code CONNECT OK}, {@code CONNECT FAIL}, ...). */
    private String tryOpen(int id, String host, int port, Duration timeout, Cancellation cancel) throws IOException {
        String what = "TCP connect to " + host + ":" + port;
        long epoch = faultEpoch.get();
        if (epoch != attachedEpoch) {
            throw new ModemException(what + " refused: " + faultText() + "; the modem is being brought back");
        }
        Cancellation stop = untilFault(epoch, cancel);
        try (FollowUp result = at.expect(result(id, "CONNECT OK", "CONNECT FAIL", "ALREADY CONNECT", "CLOSE OK"),
                "the connect result '" + id + ", CONNECT OK'")) {
            try {
                at.execute(AtCommand.of("AT+CIPSTART=" + id + ",\"TCP\"," + AtArgs.quoted("host", host) + ","
                        + port).build(), stop);
            } catch (AtException e) {
                if (faultEpoch.get() != epoch) {
                    throw explain(e, epoch, what);
                }
                String why = whyNoSockets();
                throw new ModemException(what + " refused by the modem (" + e.getMessage() + ")"
                        + (why == null ? "" : ": " + why), e);
            } catch (AtTimeoutException e) {
                // ALREADY CONNECT may come instead of the OK
                AtLine early = pollNow(result);
                if (early == null) {
                    throw new ModemException(what + ": the modem did not answer AT+CIPSTART", e);
                }
                return resultText(early.text());
            } catch (IOException e) {
                throw explain(e, epoch, what);
            }
            Duration wait = timeout.compareTo(timeout("CIPSTART", CIPSTART_TIMEOUT)) < 0 ? timeout
                    : timeout("CIPSTART", CIPSTART_TIMEOUT);
            try {
                return resultText(result.next(wait, stop).text());
            } catch (AtTimeoutException e) {
                closeQuietly(id);
                throw new ModemException(what + " got no answer from the modem within " + wait.toSeconds() + " s",
                        e);
            } catch (IOException e) {
                if (faultEpoch.get() != epoch) {
                    throw explain(e, epoch, what); // the connection died with the modem's IP stack
                }
                closeQuietly(id); // cancelled: the socket was closed while connecting
                throw e;
            }
        }
    }

    private String faultText() {
        String fault = lastFault;
        return fault.equals("+PDP: DEACT") ? "the modem's data connection dropped (" + fault + ")"
                : "the modem restarted (" + fault + ")";
    }

    private static AtLine pollNow(FollowUp f) {
        try {
            return f.next(Duration.ofMillis(1));
        } catch (IOException e) {
            return null;
        }
    }

    /** Why the IP stack refuses sockets, from its state, or null when the state looks fine or is unknown. */
    private String whyNoSockets() {
        try {
            return SimcomErrors.ipState(ipState(Cancellation.NONE));
        } catch (IOException e) {
            log.debug("{}: AT+CIPSTATUS after a refused connect: {}", at.name(), e.getMessage());
            return null;
        }
    }

    /** {@code AT+CIPSEND?}: the largest send the modem takes now for {@code id}; the model's chunk if it says none. */
    private void readSendLimit(int id) {
        int limit = ctx.capabilities().maxSendChunk();
        try {
            for (AtLine l : at.execute(AtCommand.of("AT+CIPSEND?").expect("+CIPSEND:").build()).lines()) {
                Matcher m = CIPSEND_SIZE.matcher(l.text());
                if (m.matches() && Integer.parseInt(m.group(1)) == id) {
                    int size = Integer.parseInt(m.group(2));
                    if (size > 0) {
                        limit = Math.min(limit, size);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("{}: AT+CIPSEND? gave no size ({}); sending at most {} bytes at a time", at.name(),
                    e.getMessage(), limit);
        }
        synchronized (used) {
            sendLimit[id] = limit;
        }
    }

    @Override
    public int send(int id, byte[] b, int off, int len, Cancellation cancel) throws IOException {
        int n;
        synchronized (used) {
            n = Math.min(len, sendLimit[id]);
        }
        AtCommand.Builder cmd = AtCommand.of("AT+CIPSEND=" + id + "," + n).payload(b, off, n)
                .timeout(timeout("CIPSEND", CIPSEND_TIMEOUT));
        String sendFail = id + ", SEND FAIL";
        if (quickSend) {
            cmd.finalLine(l -> l.equals(sendFail) || isDataAccept(l, id));
        } else {
            cmd.finalLine(l -> l.equals(id + ", SEND OK") || l.equals(sendFail));
        }
        long epoch = faultEpoch.get();
        String fin;
        try {
            fin = at.execute(cmd.build(), untilFault(epoch, cancel)).finalLine();
        } catch (IOException e) {
            throw explain(e, epoch, "AT+CIPSEND=" + id + "," + n);
        }
        if (fin.equals(sendFail)) {
            return 0; // refused for now: the engine retries with back-off
        }
        if (quickSend) {
            Matcher m = DATA_ACCEPT.matcher(fin);
            if (!m.matches()) {
                throw new ModemException("unexpected answer to AT+CIPSEND=" + id + "," + n + ": " + fin);
            }
            int accepted = Integer.parseInt(m.group(2));
            if (accepted > n) {
                throw new ModemException("the modem claims to have accepted " + accepted + " of " + n + " bytes");
            }
            return accepted;
        }
        return n;
    }

    private static boolean isDataAccept(String line, int id) {
        Matcher m = DATA_ACCEPT.matcher(line);
        return m.matches() && Integer.parseInt(m.group(1)) == id;
    }

    @Override
    public ReadChunk read(int id, int max) throws IOException {
        if (push) {
            return ReadChunk.EMPTY; // the data arrived inside +RECEIVE; nothing waits on the modem
        }
        int len = Math.min(max, Sim800Models.MAX_CHUNK);
        long epoch = faultEpoch.get();
        AtResponse r;
        try {
            r = at.execute(AtCommand.of("AT+CIPRXGET=2," + id + "," + len).expect("+CIPRXGET: 2,")
                    .expect("+CIPRXGET:2,").timeout(timeout("CIPRXGET", CIPRXGET_TIMEOUT)).build(),
                    untilFault(epoch, Cancellation.NONE));
        } catch (IOException e) {
            throw explain(e, epoch, "AT+CIPRXGET=2," + id);
        }
        for (AtLine l : r.lines()) {
            Matcher m = RXGET_DATA.matcher(l.text());
            if (m.matches() && Integer.parseInt(m.group(1)) == id) {
                byte[] data = l.payload() == null ? new byte[0] : l.payload();
                int got = Integer.parseInt(m.group(2));
                if (data.length != got) {
                    throw new ModemException("AT+CIPRXGET=2," + id + " announced " + got + " bytes but carried "
                            + data.length);
                }
                // <left> is what stays in the modem's buffer after this read (AT-REFERENCE §2B, observed meaning)
                return new ReadChunk(data, Integer.parseInt(m.group(3)));
            }
        }
        throw new ModemException("unexpected answer to AT+CIPRXGET=2," + id + ": " + r.texts());
    }

    @Override
    public void close(int id) throws IOException {
        // Quick close (",1") unless quick send left bytes in the modem's buffer that a slow close still delivers.
        String text = "AT+CIPCLOSE=" + id + (quickSend ? "" : ",1");
        try {
            at.execute(AtCommand.of(text).finalLine(result(id, "CLOSE OK"))
                    .timeout(timeout("CIPCLOSE", CIPCLOSE_TIMEOUT)).build());
        } catch (AtException e) {
            // Refused when the connection is no longer open (the peer closed it): the id is free either way.
            log.debug("{}: {} answered {}: the connection was already closed", at.name(), text, e.answer());
        } finally {
            release(id);
        }
    }

    private void closeQuietly(int id) {
        try {
            at.execute(AtCommand.of("AT+CIPCLOSE=" + id + ",1").finalLine(result(id, "CLOSE OK"))
                    .timeout(timeout("CIPCLOSE", CIPCLOSE_TIMEOUT)).build());
        } catch (IOException e) {
            log.debug("{}: AT+CIPCLOSE={},1 after a failed open: {}", at.name(), id, e.getMessage());
        }
    }

    private int allocate() throws ModemException {
        synchronized (used) {
            int id = used.nextClearBit(0);
            while (id < maxSockets && !ctx.events().mayReuse(id)) {
                id = used.nextClearBit(id + 1); // still being closed by the engine
            }
            if (id >= maxSockets) {
                throw new ModemException("all " + maxSockets + " connections of the " + ctx.capabilities().model()
                        + " are in use; close one first");
            }
            used.set(id);
            sendLimit[id] = ctx.capabilities().maxSendChunk();
            return id;
        }
    }

    private void release(int id) {
        synchronized (used) {
            used.clear(id);
        }
    }

    // ---- DNS and time ----

    @Override
    public List<InetAddress> resolve(String host) throws IOException {
        AtArgs.host(host);
        if (IPV4.matcher(host).matches()) {
            return List.of(InetAddress.getByName(host)); // a literal: parsed, no lookup anywhere
        }
        try (FollowUp result = at.expect(l -> l.startsWith("+CDNSGIP:"), "the DNS result (+CDNSGIP)")) {
            try {
                at.execute("AT+CDNSGIP=" + AtArgs.quoted("host", host));
            } catch (AtException e) {
                String why = whyNoSockets();
                throw new ModemException("DNS lookup of '" + host + "' refused by the modem (" + e.getMessage() + ")"
                        + (why == null ? "" : ": " + why), e);
            }
            Duration wait = timeout("CDNSGIP", CDNSGIP_TIMEOUT);
            String line;
            try {
                line = result.next(wait).text();
            } catch (AtTimeoutException e) {
                throw new ModemException("DNS lookup of '" + host + "' got no answer from the modem within "
                        + wait.toSeconds() + " s", e);
            }
            Matcher ok = CDNSGIP_OK.matcher(line);
            if (!ok.matches()) {
                String v = line.substring("+CDNSGIP:".length()).trim();
                if (v.startsWith("0,")) {
                    throw new ModemException("DNS lookup of '" + host + "' failed on the modem ("
                            + SimcomErrors.dnsError(v.substring(2)) + ")");
                }
                throw new ModemException("unexpected DNS answer from the modem for '" + host + "': " + line);
            }
            List<InetAddress> out = new ArrayList<>();
            Matcher q = QUOTED.matcher(ok.group(2));
            while (q.find()) {
                String ip = q.group(1);
                if (!IPV4.matcher(ip).matches()) {
                    throw new ModemException("the modem's DNS answer for '" + host + "' is not an IPv4 address: "
                            + ip);
                }
                // getByName on a literal parses it without any lookup on the host
                out.add(InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress()));
            }
            if (out.isEmpty()) {
                throw new ModemException("DNS lookup of '" + host + "' on the modem returned no address");
            }
            return out;
        }
    }

    @Override
    public Optional<Instant> networkTime() throws IOException {
        return Gsm27007.clock(at);
    }
}
