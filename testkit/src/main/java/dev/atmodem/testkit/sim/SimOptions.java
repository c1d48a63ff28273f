package dev.atmodem.testkit.sim;

import java.time.Clock;
import java.util.Objects;

/**
 * Modem-side settings that do not belong to the line: the SIM PIN lock, how long a boot takes, the network clock, the
 * Wi-Fi access point that Wi-Fi dialects can join.
 *
 * @param pin        when non-null, the SIM starts locked and {@code AT+CPIN="<pin>"} unlocks it
 * @param bootMillis time between the first boot URC and "ready" during which input is ignored
 * @param clock      network time served by commands such as {@code AT+QLTS}
 * @param apSsid     the SSID of the one access point in range (Wi-Fi dialects)
 * @param apPassphrase its WPA2 passphrase; null or empty = an open network
 */
public record SimOptions(String pin, int bootMillis, Clock clock, String apSsid, String apPassphrase) {

    /** The access point's SSID unless {@link #accessPoint} says otherwise. */
    public static final String DEFAULT_AP_SSID = "atmodem-sim";
    /** Its WPA2 passphrase unless {@link #accessPoint} says otherwise. */
    public static final String DEFAULT_AP_PASSPHRASE = "atmodem-sim-pass";

    public SimOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(apSsid, "apSsid");
        if (bootMillis < 0) {
            throw new IllegalArgumentException("bootMillis must not be negative");
        }
    }

    public SimOptions(String pin, int bootMillis, Clock clock) {
        this(pin, bootMillis, clock, DEFAULT_AP_SSID, DEFAULT_AP_PASSPHRASE);
    }

    public static SimOptions defaults() {
        return new SimOptions(null, 0, Clock.systemUTC());
    }

    public SimOptions withPin(String p) {
        return new SimOptions(p, bootMillis, clock, apSsid, apPassphrase);
    }

    public SimOptions withBootMillis(int ms) {
        return new SimOptions(pin, ms, clock, apSsid, apPassphrase);
    }

    public SimOptions withClock(Clock c) {
        return new SimOptions(pin, bootMillis, c, apSsid, apPassphrase);
    }

    /** The access point in range: its SSID and WPA2 passphrase (null or empty: open, no security). */
    public SimOptions accessPoint(String ssid, String passphrase) {
        return new SimOptions(pin, bootMillis, clock, ssid, passphrase);
    }

    /** True when the access point asks for no passphrase. */
    public boolean openAccessPoint() {
        return apPassphrase == null || apPassphrase.isEmpty();
    }

    /** Keeps the passphrase out of logs and test reports. */
    @Override
    public String toString() {
        return "SimOptions[pin=" + (pin == null ? "none" : "***") + ", bootMillis=" + bootMillis + ", clock=" + clock
                + ", apSsid=" + apSsid + ", apPassphrase=" + (openAccessPoint() ? "none" : "***") + "]";
    }
}
