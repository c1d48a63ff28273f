package dev.atmodem;

import dev.atmodem.at.AtArgs;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a user can set when opening a modem. Immutable; every {@code with...} returns a copy. Values that end up
 * inside AT commands (APN, user, password, PIN, SSID, passphrase) are checked here, at the edge, and refused with an
 * {@link IllegalArgumentException} if they could inject a command.
 *
 * <p>Timeouts are data: drivers ask for them by command name ({@code "QIOPEN"}, {@code "CIPSTART"}) with their own
 * default, and {@link #withTimeout(String, Duration)} overrides any of them.
 */
public final class ModemOptions {

    /** PDP authentication for the APN. */
    public enum Auth { NONE, PAP, CHAP, PAP_OR_CHAP }

    private String apn;
    private String apnUser = "";
    private String apnPassword = "";
    private Auth auth = Auth.NONE;
    private String pin;
    private String wifiSsid;
    private String wifiPassphrase;
    private String driver = "auto";
    private int baud = 115_200;
    private boolean rtsCts;
    private boolean attach = true;
    private Duration commandTimeout = Duration.ofSeconds(5);
    private Duration bootTimeout = Duration.ofSeconds(20);
    private Duration registrationTimeout = Duration.ofMinutes(3);
    private Duration connectTimeout = Duration.ofSeconds(150);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private Duration pollInitial = Duration.ofMillis(500);
    private Duration pollMax = Duration.ofSeconds(5);
    private int receiveBuffer = 64 * 1024;
    private boolean autoRecover = true;
    private Duration recoveryInitial = Duration.ofSeconds(1);
    private Duration recoveryMax = Duration.ofSeconds(60);
    private final Map<String, Duration> timeouts = new HashMap<>();
    private final Map<String, String> driverOptions = new HashMap<>();

    private ModemOptions() {
    }

    private ModemOptions copy() {
        ModemOptions o = new ModemOptions();
        o.apn = apn;
        o.apnUser = apnUser;
        o.apnPassword = apnPassword;
        o.auth = auth;
        o.pin = pin;
        o.wifiSsid = wifiSsid;
        o.wifiPassphrase = wifiPassphrase;
        o.driver = driver;
        o.baud = baud;
        o.rtsCts = rtsCts;
        o.attach = attach;
        o.commandTimeout = commandTimeout;
        o.bootTimeout = bootTimeout;
        o.registrationTimeout = registrationTimeout;
        o.connectTimeout = connectTimeout;
        o.writeTimeout = writeTimeout;
        o.pollInitial = pollInitial;
        o.pollMax = pollMax;
        o.receiveBuffer = receiveBuffer;
        o.autoRecover = autoRecover;
        o.recoveryInitial = recoveryInitial;
        o.recoveryMax = recoveryMax;
        o.timeouts.putAll(timeouts);
        o.driverOptions.putAll(driverOptions);
        return o;
    }

    /** Defaults with no data connection configured (the modem's current context is used if any). */
    public static ModemOptions defaults() {
        return new ModemOptions();
    }

    /** A cellular modem attaching with this APN. */
    public static ModemOptions cellular(String apn) {
        ModemOptions o = new ModemOptions();
        o.apn = AtArgs.safe("APN", Objects.requireNonNull(apn, "apn"));
        return o;
    }

    /** A Wi-Fi module joining this network. */
    public static ModemOptions wifi(String ssid, String passphrase) {
        ModemOptions o = new ModemOptions();
        o.wifiSsid = AtArgs.safe("Wi-Fi SSID", Objects.requireNonNull(ssid, "ssid"));
        o.wifiPassphrase = AtArgs.safeSecret("Wi-Fi passphrase", Objects.requireNonNull(passphrase, "passphrase"));
        return o;
    }

    public ModemOptions withApnCredentials(String user, String password, Auth auth) {
        ModemOptions o = copy();
        o.apnUser = AtArgs.safe("APN user", Objects.requireNonNull(user, "user"));
        o.apnPassword = AtArgs.safeSecret("APN password", Objects.requireNonNull(password, "password"));
        o.auth = Objects.requireNonNull(auth, "auth");
        return o;
    }

    public ModemOptions withPin(String pin) {
        Objects.requireNonNull(pin, "pin");
        if (!pin.matches("[0-9]{4,8}")) {
            throw new IllegalArgumentException("a SIM PIN is 4 to 8 digits");
        }
        ModemOptions o = copy();
        o.pin = pin;
        return o;
    }

    /** {@code "auto"} (detect from the modem's answers) or a driver name such as {@code "bg96"}. */
    public ModemOptions withDriver(String name) {
        Objects.requireNonNull(name, "driver");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("driver names are lowercase letters, digits and '-': " + name);
        }
        ModemOptions o = copy();
        o.driver = name;
        return o;
    }

    public ModemOptions withBaud(int baud) {
        if (baud <= 0) {
            throw new IllegalArgumentException("baud rate must be positive");
        }
        ModemOptions o = copy();
        o.baud = baud;
        return o;
    }

    public ModemOptions withRtsCts(boolean on) {
        ModemOptions o = copy();
        o.rtsCts = on;
        return o;
    }

    /** Whether {@link Modem#open} activates the data connection (default true). */
    public ModemOptions withAttach(boolean on) {
        ModemOptions o = copy();
        o.attach = on;
        return o;
    }

    /** Default timeout of a command that has no timeout of its own. */
    public ModemOptions withCommandTimeout(Duration t) {
        ModemOptions o = copy();
        o.commandTimeout = positive(t);
        return o;
    }

    /** How long to wait for a booting modem to answer {@code AT}. */
    public ModemOptions withBootTimeout(Duration t) {
        ModemOptions o = copy();
        o.bootTimeout = positive(t);
        return o;
    }

    public ModemOptions withRegistrationTimeout(Duration t) {
        ModemOptions o = copy();
        o.registrationTimeout = positive(t);
        return o;
    }

    /** Connect timeout used when the caller gives none ({@code connect(addr)} or timeout 0). */
    public ModemOptions withConnectTimeout(Duration t) {
        ModemOptions o = copy();
        o.connectTimeout = positive(t);
        return o;
    }

    /** How long a write may make no progress (the modem answering SEND FAIL) before it fails. */
    public ModemOptions withWriteTimeout(Duration t) {
        ModemOptions o = copy();
        o.writeTimeout = positive(t);
        return o;
    }

    /**
     * Polling fallback for missed data-ready URCs (QUIRKS 11): a waiting reader asks the modem after {@code initial},
     * then at doubling intervals up to {@code max}.
     */
    public ModemOptions withPolling(Duration initial, Duration max) {
        ModemOptions o = copy();
        o.pollInitial = positive(initial);
        o.pollMax = positive(max);
        if (o.pollMax.compareTo(o.pollInitial) < 0) {
            throw new IllegalArgumentException("maximum poll interval is shorter than the initial one");
        }
        return o;
    }

    /** Bytes buffered on the host per socket before the engine stops pulling from the modem (default 64 KiB). */
    public ModemOptions withReceiveBuffer(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("receive buffer must be at least 1024 bytes");
        }
        ModemOptions o = copy();
        o.receiveBuffer = bytes;
        return o;
    }

    /** Overrides one command's timeout by name, e.g. {@code withTimeout("QIOPEN", Duration.ofSeconds(60))}. */
    public ModemOptions withTimeout(String command, Duration t) {
        ModemOptions o = copy();
        o.timeouts.put(Objects.requireNonNull(command, "command"), positive(t));
        return o;
    }

    /**
     * Whether the modem brings itself back after a reboot, a lost data connection or a silence (default true), and
     * the back-off between attempts: {@code initial}, doubling up to {@code max}.
     */
    public ModemOptions withRecovery(boolean on, Duration initial, Duration max) {
        ModemOptions o = copy();
        o.autoRecover = on;
        o.recoveryInitial = positive(initial);
        o.recoveryMax = positive(max);
        return o;
    }

    /**
     * A driver-specific setting, named {@code driver.key}, e.g. {@code withDriverOption("bg96.accessMode", "push")}.
     * Each driver documents its own; unknown keys are ignored.
     */
    public ModemOptions withDriverOption(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        ModemOptions o = copy();
        o.driverOptions.put(key, value);
        return o;
    }

    private static Duration positive(Duration t) {
        Objects.requireNonNull(t, "duration");
        if (t.isNegative() || t.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + t);
        }
        return t;
    }

    public String apn() {
        return apn;
    }

    public String apnUser() {
        return apnUser;
    }

    public String apnPassword() {
        return apnPassword;
    }

    public Auth auth() {
        return auth;
    }

    public String pin() {
        return pin;
    }

    public String wifiSsid() {
        return wifiSsid;
    }

    public String wifiPassphrase() {
        return wifiPassphrase;
    }

    public String driver() {
        return driver;
    }

    public int baud() {
        return baud;
    }

    public boolean rtsCts() {
        return rtsCts;
    }

    public boolean attach() {
        return attach;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration bootTimeout() {
        return bootTimeout;
    }

    public Duration registrationTimeout() {
        return registrationTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    public Duration pollInitial() {
        return pollInitial;
    }

    public Duration pollMax() {
        return pollMax;
    }

    public int receiveBuffer() {
        return receiveBuffer;
    }

    public boolean autoRecover() {
        return autoRecover;
    }

    public Duration recoveryInitial() {
        return recoveryInitial;
    }

    public Duration recoveryMax() {
        return recoveryMax;
    }

    /** A driver-specific setting, or {@code fallback}. */
    public String driverOption(String key, String fallback) {
        return driverOptions.getOrDefault(key, fallback);
    }

    /** The timeout for {@code command}: the user's override, else the driver's {@code fallback}. */
    public Duration timeout(String command, Duration fallback) {
        return timeouts.getOrDefault(command, fallback);
    }

    @Override
    public String toString() {
        // Secrets are never shown.
        return "ModemOptions[driver=" + driver + ", baud=" + baud + (apn != null ? ", apn=" + apn : "")
                + (wifiSsid != null ? ", ssid=" + wifiSsid : "") + (pin != null ? ", pin=***" : "") + "]";
    }
}
