package dev.atmodem.driver.bg96;

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
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BG96 command set (AT-REFERENCE §1): AT+QICSGP/QIACT for data, AT+QIOPEN with its {@code +QIOPEN} follow-up,
 * AT+QISEND with SEND OK / SEND FAIL, AT+QIRD in buffer-access mode or {@code +QIURC: "recv"} payloads in direct-push
 * mode, AT+QICLOSE, AT+QIDNSGIP and AT+QLTS.
 */
final class Bg96Session implements DriverSession {

    private static final Logger log = LoggerFactory.getLogger(Bg96Session.class);

    private static final Pattern RECV = Pattern.compile("\\+QIURC: \"recv\",(\\d{1,9})(?:,(\\d{1,9}))?");
    private static final Pattern CLOSED = Pattern.compile("\\+QIURC: \"closed\",(\\d{1,9})");
    private static final Pattern QIACT = Pattern.compile("\\+QIACT: (\\d{1,9}),(\\d{1,9}),(\\d{1,9}),\"([^\"]*)\"");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");
    private static final String DNS_PREFIX = "+QIURC: \"dnsgip\",";

    // Default timeouts (AT-REFERENCE §1C); each can be overridden by name through ModemOptions.withTimeout.
    private static final Duration QIACT_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration QIDEACT_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration QICLOSE_TIMEOUT = Duration.ofSeconds(12);
    // QISEND and QIRD touch only the module's buffers and answer in milliseconds; a modem silent this long is stuck.
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REGISTRATION_POLL = Duration.ofSeconds(1);

    /** QICSGP {@code <authentication>} values (UNCONFIRMED in AT-REFERENCE §1A: 0 none, 1 PAP, 2 CHAP, 3 both). */
    private static int authCode(ModemOptions.Auth auth) {
        return switch (auth) {
            case NONE -> 0;
            case PAP -> 1;
            case CHAP -> 2;
            case PAP_OR_CHAP -> 3;
        };
    }

    private final DriverContext ctx;
    private final AtEngine at;
    private final ModemOptions options;
    private final int context;
    private final boolean push;
    private final int maxSockets;
    private final BitSet used = new BitSet();
    private volatile String localIp = "";

    Bg96Session(DriverContext ctx) {
        this.ctx = ctx;
        this.at = ctx.at();
        this.options = ctx.options();
        this.maxSockets = ctx.capabilities().maxSockets();
        this.context = parseContext(options.driverOption("bg96.context", "1"));
        String mode = options.driverOption("bg96.accessMode", "buffer");
        if (!mode.equals("buffer") && !mode.equals("push")) {
            throw new IllegalArgumentException("bg96.accessMode must be 'buffer' or 'push', not '" + mode + "'");
        }
        this.push = mode.equals("push");
        at.addPayloadRule(PayloadRule.afterLine("\\+QIRD: (\\d+)", 1));
        if (push) {
            // In direct-push mode the data follows the URC; in buffer mode a BG95 may append a length without data.
            at.addPayloadRule(PayloadRule.afterLine("\\+QIURC: \"recv\",\\d+,(\\d+)", 1));
        }
        SocketEvents events = ctx.events();
        // Per-socket events are recorded on the reader thread, in order with the answers to AT+QICLOSE.
        at.onUrcRecord(l -> l.startsWith("+QIURC: \"recv\""), urc -> {
            Matcher m = RECV.matcher(urc.text());
            if (m.matches()) {
                int id = Integer.parseInt(m.group(1));
                if (urc.hasPayload()) {
                    events.dataPushed(id, urc.payload());
                } else {
                    events.dataReady(id);
                }
            }
        });
        at.onUrcRecord(l -> l.startsWith("+QIURC: \"closed\""), urc -> {
            Matcher m = CLOSED.matcher(urc.text());
            if (m.matches()) {
                events.remoteClosed(Integer.parseInt(m.group(1)));
            }
        });
        at.onUrcPrefix("+QIURC: \"pdpdeact\"", urc -> events.bearerLost(urc.text()));
        at.onUrc(l -> l.equals("RDY") || l.equals("POWERED DOWN") || l.equals("NORMAL POWER DOWN"),
                urc -> events.rebooted(urc.text()));
        // Boot chatter and status reports that need no action, logged rather than reported as unknown.
        at.onUrc(l -> l.equals("APP RDY") || l.startsWith("+CFUN:") || l.startsWith("+CPIN:")
                || l.startsWith("+QIND:") || l.startsWith("+QUSIM:") || l.startsWith("+CREG:")
                || l.startsWith("+CGREG:") || l.startsWith("+CEREG:"), urc -> log.debug("{}: {}", at.name(),
                urc.text()));
    }

    private static int parseContext(String s) {
        int c;
        try {
            c = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bg96.context must be a number from 1 to 16, not '" + s + "'");
        }
        if (c < 1 || c > 16) {
            throw new IllegalArgumentException("bg96.context must be from 1 to 16, not " + c);
        }
        return c;
    }

    @Override
    public void bringUp() throws IOException {
        at.execute("AT+CMEE=1");
        Gsm27007.unlockSim(at, options.pin());
        log.info("{}: signal {}", at.name(), Gsm27007.signal(at));
        Registration r = Gsm27007.awaitRegistration(at, options.registrationTimeout(),
                ctx.timeout("registrationPoll", REGISTRATION_POLL),
                p -> log.info("{}: waiting for the network: {}", at.name(), p));
        log.info("{}: registered, {} on {}", at.name(), r, Gsm27007.operator(at));
    }

    @Override
    public void attach() throws IOException {
        if (options.apn() != null) {
            at.execute(AtCommand.of("AT+QICSGP=" + context + ",1," + AtArgs.quoted("APN", options.apn()) + ","
                    + AtArgs.quoted("APN user", options.apnUser()) + ","
                    + AtArgs.quotedSecret("APN password", options.apnPassword()) + "," + authCode(options.auth()))
                    .secret(options.apnPassword()).build());
        }
        if (activeAddress().isPresent()) {
            localIp = activeAddress().get();
            log.info("{}: data context {} already active, local IP {}", at.name(), context, localIp);
            return;
        }
        AtCommand activate = AtCommand.of("AT+QIACT=" + context).timeout(ctx.timeout("QIACT", QIACT_TIMEOUT)).build();
        try {
            at.execute(activate);
        } catch (AtException first) {
            // A half-open context refuses activation until it is deactivated (the Zephyr driver does the same).
            deactivate();
            try {
                at.execute(activate);
            } catch (AtException e) {
                throw new ModemException("activating the data connection failed (" + e.getMessage() + "): check the"
                        + " APN" + (options.apn() == null ? " (none is configured: ModemOptions.cellular(apn))"
                        : " '" + options.apn() + "'") + ", the APN user and password, and the SIM's data plan", e);
            }
        }
        localIp = activeAddress().orElseThrow(() -> new ModemException("AT+QIACT succeeded but context "
                + context + " is not active"));
        log.info("{}: data context {} active, local IP {}", at.name(), context, localIp);
    }

    private Optional<String> activeAddress() throws IOException {
        AtResponse r = at.execute(AtCommand.of("AT+QIACT?").expect("+QIACT:").build());
        for (AtLine l : r.lines()) {
            Matcher m = QIACT.matcher(l.text());
            if (m.matches() && Integer.parseInt(m.group(1)) == context && m.group(2).equals("1")) {
                return Optional.of(m.group(4));
            }
        }
        return Optional.empty();
    }

    private void deactivate() throws IOException {
        try {
            at.execute(AtCommand.of("AT+QIDEACT=" + context).timeout(ctx.timeout("QIDEACT", QIDEACT_TIMEOUT)).build());
        } catch (AtException e) {
            log.debug("{}: AT+QIDEACT refused: {}", at.name(), e.getMessage());
        }
    }

    @Override
    public void recover() throws IOException {
        synchronized (used) {
            used.clear();
        }
        // After "pdpdeact" the manual asks for AT+QIDEACT, which also resets every connection and frees the ids.
        deactivate();
        bringUp();
        attach();
    }

    /** The local IP of the data context, once attached. */
    String localIp() {
        return localIp;
    }

    @Override
    public int openTcp(String host, int port, Duration timeout, Cancellation cancel) throws IOException {
        int id = allocate();
        boolean open = false;
        try {
            for (int attempt = 0; ; attempt++) {
                int err = tryOpen(id, host, port, timeout, cancel);
                if (err == 0) {
                    open = true;
                    return id;
                }
                closeQuietly(id);
                if (err == QuectelErrors.SOCKET_ID_USED && attempt == 0) {
                    continue; // the id was left open on the modem (after a fault): closed now, try once more
                }
                throw new ModemException("TCP connect to " + host + ":" + port + " failed on the modem ("
                        + QuectelErrors.describe(err) + ")");
            }
        } finally {
            if (!open) {
                release(id);
            }
        }
    }

    /** One AT+QIOPEN and its follow-up: the Quectel result code, 0 for success. */
    private int tryOpen(int id, String host, int port, Duration timeout, Cancellation cancel) throws IOException {
        String prefix = "+QIOPEN: " + id + ",";
        try (FollowUp result = at.expect(l -> l.startsWith(prefix), "the connect result '" + prefix + "<err>'")) {
            try {
                at.execute(AtCommand.of("AT+QIOPEN=" + context + "," + id + ",\"TCP\"," + AtArgs.quoted("host", host)
                        + "," + port + ",0," + (push ? 1 : 0)).build(), cancel);
            } catch (AtException e) {
                if (e.code() != null && e.code() >= 550) {
                    return e.code();
                }
                throw new ModemException("TCP connect to " + host + ":" + port + " refused by the modem: "
                        + e.getMessage(), e);
            }
            AtLine line;
            try {
                line = result.next(timeout, cancel);
            } catch (AtTimeoutException e) {
                closeQuietly(id);
                throw new ModemException("TCP connect to " + host + ":" + port + " got no answer from the modem within "
                        + timeout.toSeconds() + " s", e);
            }
            String err = line.after(prefix);
            try {
                return Integer.parseInt(err);
            } catch (NumberFormatException e) {
                throw new ModemException("unexpected connect result from the modem: " + line.text(), e);
            }
        }
    }

    @Override
    public int send(int id, byte[] b, int off, int len, Cancellation cancel) throws IOException {
        AtResponse r = at.execute(AtCommand.of("AT+QISEND=" + id + "," + len).payload(b, off, len)
                .finalLine(l -> l.equals("SEND OK") || l.equals("SEND FAIL"))
                .timeout(ctx.timeout("QISEND", DATA_TIMEOUT)).build(), cancel);
        return r.finalLine().equals("SEND OK") ? len : 0;
    }

    @Override
    public ReadChunk read(int id, int max) throws IOException {
        if (push) {
            return ReadChunk.EMPTY; // data arrives inside the URCs; nothing waits on the modem
        }
        AtResponse r = at.execute(AtCommand.of("AT+QIRD=" + id + "," + max).expect("+QIRD:")
                .timeout(ctx.timeout("QIRD", DATA_TIMEOUT)).build());
        AtLine l = r.line("+QIRD:");
        if (l == null || l.payload() == null) {
            throw new ModemException("unexpected answer to AT+QIRD=" + id + ": " + r.texts());
        }
        byte[] data = l.payload();
        // A short read emptied the modem's buffer; new data will raise a fresh "recv" URC (empty -> non-empty).
        return new ReadChunk(data, data.length < max ? 0 : -1);
    }

    @Override
    public void close(int id) throws IOException {
        try {
            at.execute(AtCommand.of("AT+QICLOSE=" + id).timeout(ctx.timeout("QICLOSE", QICLOSE_TIMEOUT)).build());
        } finally {
            release(id);
        }
    }

    private void closeQuietly(int id) {
        try {
            at.execute(AtCommand.of("AT+QICLOSE=" + id).timeout(ctx.timeout("QICLOSE", QICLOSE_TIMEOUT)).build());
        } catch (IOException e) {
            log.debug("{}: AT+QICLOSE={} after a failed open: {}", at.name(), id, e.getMessage());
        }
    }

    private int allocate() throws ModemException {
        synchronized (used) {
            for (int id = used.nextClearBit(0); id < maxSockets; id = used.nextClearBit(id + 1)) {
                if (ctx.events().mayReuse(id)) {
                    used.set(id);
                    return id;
                }
            }
            throw new ModemException("all " + maxSockets + " socket ids of the modem are in use");
        }
    }

    private void release(int id) {
        synchronized (used) {
            used.clear(id);
        }
    }

    @Override
    public List<InetAddress> resolve(String host) throws IOException {
        try (FollowUp result = at.expect(l -> l.startsWith(DNS_PREFIX), "the DNS result (+QIURC: \"dnsgip\")")) {
            at.execute("AT+QIDNSGIP=" + context + "," + AtArgs.quoted("host", host));
            Duration timeout = ctx.timeout("QIDNSGIP", DNS_TIMEOUT);
            AtLine first = result.next(timeout);
            String[] head = first.after(DNS_PREFIX).split(",");
            int err;
            int count;
            try {
                err = Integer.parseInt(head[0].trim());
                count = head.length > 1 ? Integer.parseInt(head[1].trim()) : 0;
            } catch (NumberFormatException e) {
                throw new ModemException("unexpected DNS result from the modem: " + first.text(), e);
            }
            if (err != 0) {
                throw new ModemException("DNS lookup of '" + host + "' failed on the modem ("
                        + QuectelErrors.describe(err) + ")");
            }
            List<InetAddress> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String ip = result.next(timeout).after(DNS_PREFIX).replace("\"", "").trim();
                if (!IP_LITERAL.matcher(ip).matches()) {
                    throw new ModemException("the modem's DNS answer is not an IP address: " + ip);
                }
                // getByName on a literal parses it without any lookup on the host
                out.add(InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress()));
            }
            if (out.isEmpty()) {
                throw new ModemException("DNS lookup of '" + host + "' on the modem returned no address");
            }
            return out;
        } catch (NumberFormatException e) {
            throw new ModemException("unexpected DNS answer from the modem for '" + host + "'", e);
        }
    }

    @Override
    public Optional<Instant> networkTime() throws IOException {
        try {
            Optional<Instant> t = Gsm27007.parseClock(
                    at.execute(AtCommand.of("AT+QLTS").expect("+QLTS:").build()).value("+QLTS:"));
            if (t.isPresent()) {
                return t;
            }
        } catch (AtException e) {
            log.debug("{}: AT+QLTS refused ({}); trying AT+CCLK?", at.name(), e.getMessage());
        }
        return Gsm27007.clock(at);
    }
}
