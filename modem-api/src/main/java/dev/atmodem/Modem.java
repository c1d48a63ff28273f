package dev.atmodem;

import dev.atmodem.at.AtCommand;
import dev.atmodem.at.AtEngine;
import dev.atmodem.at.AtException;
import dev.atmodem.at.AtResponse;
import dev.atmodem.at.AtTimeoutException;
import dev.atmodem.link.FramedLink;
import dev.atmodem.link.Secrets;
import dev.atmodem.link.SerialLink;
import dev.atmodem.link.SerialLinks;
import dev.atmodem.link.SerialOptions;
import dev.atmodem.link.TracingLink;
import dev.atmodem.spi.Bearer;
import dev.atmodem.spi.DriverContext;
import dev.atmodem.spi.Gsm27007;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemDriver;
import dev.atmodem.spi.ModemIdentity;
import dev.atmodem.socket.SocketEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * An open AT-command modem: detected, brought up, attached, and ready to make sockets.
 *
 * <pre>{@code
 * try (Modem modem = Modem.open("/dev/ttyUSB2", ModemOptions.cellular("internet"))) {
 *     Socket s = modem.socketFactory().createSocket("example.com", 80);
 * }
 * }</pre>
 *
 * Thread-safe: sockets may be used from many threads; commands are serialised on the one serial line.
 */
public final class Modem implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Modem.class);

    private final AtEngine at;
    private final ModemIdentity identity;
    private final ModemDriver driver;
    private final ModelCapabilities capabilities;
    private final DriverSession session;
    private final SocketEngine sockets;
    private final ModemSocketFactory factory;
    private final ModemSupervisor supervisor;

    private Modem(AtEngine at, ModemIdentity identity, ModemDriver driver, ModelCapabilities capabilities,
                  DriverSession session, SocketEngine sockets, ModemOptions options) {
        this.at = at;
        this.identity = identity;
        this.driver = driver;
        this.capabilities = capabilities;
        this.session = session;
        this.sockets = sockets;
        this.factory = new ModemSocketFactory(sockets);
        this.supervisor = new ModemSupervisor(at, sockets, session, options);
    }

    /** Opens the modem on a serial device ({@code /dev/ttyUSB2}, {@code COM3}) or {@code tcp://host:port}. */
    public static Modem open(String path, ModemOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        SerialLink link = SerialLinks.open(path, SerialOptions.of(options.baud()).withRtsCts(options.rtsCts()));
        return open(link, options);
    }

    /**
     * Opens the modem on any link: waits for it to answer, switches echo off, identifies it, picks the driver, brings
     * it up and (unless disabled) attaches the data connection. On failure the link is closed.
     */
    public static Modem open(SerialLink link, ModemOptions options) throws IOException {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(options, "options");
        Secrets secrets = new Secrets();
        SerialLink traced = LoggerFactory.getLogger("dev.atmodem.link.trace").isTraceEnabled()
                ? TracingLink.logging(link, secrets) : link;
        // Plain until a driver frames the line (u-blox NINA-W's Extended Data Mode); the trace shows the raw bytes.
        FramedLink framed = new FramedLink(traced);
        AtEngine at = new AtEngine(framed, AtEngine.Settings.defaults().withDefaultTimeout(options.commandTimeout()),
                secrets);
        if (options.pin() != null) {
            at.secrets().register(options.pin());
        }
        at.secrets().register(options.apnPassword());
        at.secrets().register(options.wifiPassphrase());
        try {
            at.start();
            ModemSupervisor.awaitAnswer(at, options.bootTimeout());
            at.execute("ATE0");
            ModemIdentity identity = identify(at);
            ModemDriver driver = null;
            ModelCapabilities caps = null;
            for (ModemDriver d : candidates(options.driver())) {
                Optional<ModelCapabilities> c = d.recognize(identity);
                if (c.isPresent()) {
                    driver = d;
                    caps = c.get();
                    break;
                }
            }
            if (driver == null) {
                throw new ModemException("no installed driver recognises this modem (" + identity + "); drivers on"
                        + " the class path: " + driverNames() + ". Add the driver module for this modem, or pick one"
                        + " with ModemOptions.withDriver(name)");
            }
            log.info("{}: {} recognised by driver '{}' as {}", at.name(), identity, driver.name(), caps.model());
            SocketEngine sockets = new SocketEngine(at, caps, new SocketEngine.Settings(options.connectTimeout(),
                    options.writeTimeout(), options.pollInitial(), options.pollMax(), options.receiveBuffer()));
            DriverSession session = driver.create(new DriverContext(at, identity, caps, options, sockets,
                    framed));
            sockets.bind(session);
            session.bringUp();
            if (options.attach()) {
                session.attach();
            }
            // A reboot or bearer URC that raced the bring-up found no supervisor yet; the bring-up has succeeded
            // since, so the modem is usable.
            sockets.markUp();
            return new Modem(at, identity, driver, caps, session, sockets, options);
        } catch (IOException | RuntimeException e) {
            at.close();
            throw e;
        }
    }

    private static ModemIdentity identify(AtEngine at) throws IOException {
        return new ModemIdentity(firstLine(at, "AT+CGMI"), firstLine(at, "AT+CGMM"), firstLine(at, "AT+CGMR"),
                lines(at, "ATI"));
    }

    private static String firstLine(AtEngine at, String cmd) throws IOException {
        List<String> l = lines(at, cmd);
        return l.isEmpty() ? "" : l.get(0);
    }

    private static List<String> lines(AtEngine at, String cmd) throws IOException {
        try {
            return at.execute(cmd).texts();
        } catch (AtException e) {
            log.debug("{}: {} refused: {}", at.name(), cmd, e.getMessage());
            return List.of();
        }
    }

    private static List<ModemDriver> candidates(String name) throws ModemException {
        List<ModemDriver> all = installedDrivers();
        if (name == null || name.equals("auto")) {
            return all;
        }
        for (ModemDriver d : all) {
            if (d.name().equals(name)) {
                return List.of(d);
            }
        }
        throw new ModemException("no driver named '" + name + "' on the class path; installed: " + driverNames());
    }

    /** The drivers found on the class path with {@link ServiceLoader}. */
    public static List<ModemDriver> installedDrivers() {
        List<ModemDriver> list = new ArrayList<>();
        ServiceLoader.load(ModemDriver.class).forEach(list::add);
        return list;
    }

    private static String driverNames() {
        List<String> names = installedDrivers().stream().map(ModemDriver::name).toList();
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    /** The version of atmodem, from the build. */
    public static String version() {
        return Version.get();
    }

    public ModemIdentity identity() {
        return identity;
    }

    public ModelCapabilities capabilities() {
        return capabilities;
    }

    public String driverName() {
        return driver.name();
    }

    /** The AT engine, for tools such as an interactive console. Commands sent here share the line with sockets. */
    public AtEngine at() {
        return at;
    }

    /** Runs one raw command (for consoles and diagnostics). */
    public AtResponse execute(String command) throws IOException {
        return at.execute(command);
    }

    /** A factory for sockets through this modem. */
    public ModemSocketFactory socketFactory() {
        return factory;
    }

    /** An unconnected socket through this modem. */
    public ModemSocket newSocket() throws SocketException {
        return new ModemSocket(sockets);
    }

    /** Resolves {@code host} with the modem's DNS. */
    public List<InetAddress> resolve(String host) throws IOException {
        dev.atmodem.at.AtArgs.host(host);
        return session.resolve(host);
    }

    /**
     * A feature only some drivers offer, by its type, for example {@code modem.feature(NinaOperations.class)}; empty
     * when this modem's driver has none of that type.
     */
    public <T> Optional<T> feature(Class<T> type) {
        return session.feature(Objects.requireNonNull(type, "type"));
    }

    /** The network's current time, if the modem knows it (useful when the host clock is not set). */
    public Optional<Instant> networkTime() throws IOException {
        return session.networkTime();
    }

    public boolean isOpen() {
        return at.isAlive();
    }

    /** Where the modem is in its life: ready, recovering from a fault, link lost, closed. */
    public ModemState state() {
        return supervisor.state();
    }

    /** Hears every state change (for example READY -> RECOVERING -> READY after a modem reboot). */
    public void addListener(ModemListener listener) {
        supervisor.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Waits until the modem is ready for sockets again, for example after a recovery. */
    public void awaitReady(Duration timeout) throws IOException {
        supervisor.awaitReady(timeout);
    }

    /** Manufacturer, model, revision and IMEI. */
    public ModemInfo info() throws IOException {
        return new ModemInfo(identity.manufacturer(), identity.model(), identity.revision(),
                capabilities.bearer() == Bearer.CELLULAR ? Gsm27007.imei(at) : "");
    }

    /** Signal quality ({@code AT+CSQ}); cellular modems only. */
    public SignalQuality signal() throws IOException {
        requireCellular("signal quality");
        return Gsm27007.signal(at);
    }

    /** Network registration (CEREG/CGREG/CREG); cellular modems only. */
    public Registration registration() throws IOException {
        requireCellular("registration");
        return Gsm27007.registration(at);
    }

    /** The network operator's name, or "" when not registered; cellular modems only. */
    public String operator() throws IOException {
        requireCellular("the operator");
        return Gsm27007.operator(at);
    }

    private void requireCellular(String what) {
        if (capabilities.bearer() != Bearer.CELLULAR) {
            throw new UnsupportedOperationException(capabilities.model() + " is a Wi-Fi module: it has no " + what);
        }
    }

    /** Closes every socket's link and the serial link. Safe to call twice. */
    @Override
    public void close() {
        supervisor.closed();
        sockets.shutdown("the modem " + at.name() + " was closed");
        at.close();
    }

    @Override
    public String toString() {
        return "Modem[" + at.name() + ", " + capabilities.model() + " via " + driver.name() + "]";
    }
}
