package dev.atmodem.examples;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.link.SerialLink;
import dev.atmodem.link.SerialLinks;
import dev.atmodem.link.SerialOptions;
import dev.atmodem.link.TracingLink;
import dev.atmodem.testkit.sim.Dialects;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.SimOptions;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns the common options into an open {@link Modem}: a serial device, a remote serial port, or a simulated modem
 * on an in-memory line. Counts the bytes that cross the serial line either way.
 */
public final class ModemConnector {

    /** Dialect names a user may write after {@code sim:}, mapped to the simulator's dialect names. */
    private static final Set<String> KNOWN_MODELS = Set.of("bg96", "sim800", "sara-r4", "nina-w");
    /** Simulated Wi-Fi modules: without --wifi-ssid they join the simulator's own access point. */
    private static final Set<String> WIFI_SIMULATORS = Set.of("nina-w", "odin-w2");

    private ModemConnector() {
    }

    /** An open modem, the simulator behind it (or null), and the serial byte counters. */
    public static final class Connection implements AutoCloseable {
        private final Modem modem;
        private final ModemSimulator sim;
        private final AtomicLong toModem;
        private final AtomicLong fromModem;
        private final String description;

        Connection(Modem modem, ModemSimulator sim, AtomicLong toModem, AtomicLong fromModem, String description) {
            this.modem = modem;
            this.sim = sim;
            this.toModem = toModem;
            this.fromModem = fromModem;
            this.description = description;
        }

        public Modem modem() {
            return modem;
        }

        /** The simulator, for {@code sim:*} ports; null for a real modem. */
        public ModemSimulator simulator() {
            return sim;
        }

        /** Bytes written to the modem on the serial line so far. */
        public long bytesToModem() {
            return toModem.get();
        }

        /** Bytes read from the modem on the serial line so far. */
        public long bytesFromModem() {
            return fromModem.get();
        }

        /** Where the modem is, e.g. {@code sim:bg96 (simulated, 115200 baud, rtt 100 ms)}. */
        public String description() {
            return description;
        }

        @Override
        public void close() {
            modem.close();
            if (sim != null) {
                sim.close();
            }
        }
    }

    /** Whether {@code port} names a simulated modem. */
    public static boolean isSimulated(String port) {
        return port != null && port.toLowerCase(Locale.ROOT).startsWith("sim:");
    }

    /** Whether {@code port} names a simulated Wi-Fi module ({@code sim:nina-w}, {@code sim:odin-w2}). */
    static boolean isWifiSimulator(String port) {
        return isSimulated(port) && WIFI_SIMULATORS.contains(port.substring("sim:".length()).toLowerCase(Locale.ROOT));
    }

    /** Opens the modem the options name; the caller closes it. */
    public static Connection open(CommonOptions o) throws IOException {
        return open(o, null);
    }

    /** Opens the modem the options name, with {@code tap} seeing every byte on the serial line (may be null). */
    public static Connection open(CommonOptions o, TracingLink.Sink tap) throws IOException {
        Logging.configure(o);
        ModemOptions options = modemOptions(o);
        AtomicLong to = new AtomicLong();
        AtomicLong from = new AtomicLong();
        if (isSimulated(o.port)) {
            ModemSimulator sim = simulator(o);
            try {
                SerialLink link = counting(sim.connectPipe(), to, from, tap);
                Modem modem = Modem.open(link, options);
                return new Connection(modem, sim, to, from, o.port + " (simulated " + sim.dialectName() + ", "
                        + (o.baud > 0 ? o.baud + " baud" : "unpaced") + ", rtt " + o.rttMillis + " ms)");
            } catch (IOException | RuntimeException e) {
                sim.close();
                throw e;
            }
        }
        if (o.baud <= 0) {
            throw new CliException("--baud must be positive for a real serial port, got " + o.baud);
        }
        SerialLink raw;
        try {
            raw = SerialLinks.open(o.port, SerialOptions.of(o.baud));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        Modem modem = Modem.open(counting(raw, to, from, tap), options);
        return new Connection(modem, null, to, from, o.port + " (" + o.baud + " baud)");
    }

    /** The simulator behind a {@code sim:NAME} port, not yet attached to anything. */
    public static ModemSimulator simulator(CommonOptions o) {
        String name = o.port.substring("sim:".length()).toLowerCase(Locale.ROOT);
        String dialect = simulatorDialect(name);
        ModemSimulator sim = ModemSimulator.builder(dialect).baud(Math.max(0, o.baud))
                .rttMillis(Math.max(0, o.rttMillis)).build();
        try {
            o.simNames.forEach((host, ip) -> sim.names().put(host, ip));
        } catch (IllegalArgumentException e) {
            sim.close();
            throw new CliException("--sim-name: " + e.getMessage(), e);
        }
        return sim;
    }

    /**
     * The registered simulator dialect for a model name, or a clear error. Checked against the dialects registered
     * at run time, so a new dialect works here as soon as it is registered.
     */
    public static String simulatorDialect(String name) {
        Set<String> available = Dialects.names();
        if (available.contains(name)) {
            return name;
        }
        String compact = name.replace("-", "");
        if (available.contains(compact)) {
            return compact;
        }
        if (KNOWN_MODELS.contains(name)) {
            throw new CliException("the simulated " + name + " is not available yet: this build has no '" + name
                    + "' simulator dialect (available: " + String.join(", ", available.stream()
                    .map(d -> "sim:" + d).toList()) + ")");
        }
        throw new CliException("unknown simulated modem 'sim:" + name + "' (available: " + String.join(", ",
                available.stream().map(d -> "sim:" + d).toList()) + ")");
    }

    static ModemOptions modemOptions(CommonOptions o) {
        try {
            ModemOptions m;
            if (o.wifiSsid != null) {
                if (o.apn != null) {
                    throw new CliException("give either --apn (cellular) or --wifi-ssid (Wi-Fi), not both");
                }
                m = ModemOptions.wifi(o.wifiSsid, o.wifiPassword == null ? "" : o.wifiPassword);
            } else if (o.apn != null) {
                m = ModemOptions.cellular(o.apn);
            } else if (isSimulated(o.port) && o.apn == null && isWifiSimulator(o.port)) {
                m = ModemOptions.wifi(SimOptions.DEFAULT_AP_SSID, SimOptions.DEFAULT_AP_PASSPHRASE);
            } else if (isSimulated(o.port)) {
                m = ModemOptions.cellular("internet");
            } else {
                m = ModemOptions.defaults();
            }
            if (o.apnUser != null || o.apnPassword != null) {
                m = m.withApnCredentials(o.apnUser == null ? "" : o.apnUser,
                        o.apnPassword == null ? "" : o.apnPassword, ModemOptions.Auth.PAP_OR_CHAP);
            }
            if (o.pin != null) {
                m = m.withPin(o.pin);
            }
            m = m.withDriver(o.driver).withBaud(o.baud > 0 ? o.baud : 115_200);
            if (isSimulated(o.port)) {
                // the simulator never loses a data-ready URC unless told to; poll sooner anyway on a slow line
                m = m.withPolling(Duration.ofMillis(200), Duration.ofSeconds(1));
            }
            return m;
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    private static SerialLink counting(SerialLink link, AtomicLong to, AtomicLong from, TracingLink.Sink tap) {
        return new TracingLink(link, (dir, b, off, len) -> {
            if (dir == TracingLink.Direction.TO_MODEM) {
                to.addAndGet(len);
            } else {
                from.addAndGet(len);
            }
            if (tap != null) {
                tap.bytes(dir, b, off, len);
            }
        });
    }
}
