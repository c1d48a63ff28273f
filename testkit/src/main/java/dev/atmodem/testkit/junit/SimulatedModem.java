package dev.atmodem.testkit.junit;

import dev.atmodem.testkit.sim.SimOptions;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test against a freshly powered-on simulated modem. Parameters of type
 * {@link dev.atmodem.testkit.sim.ModemSimulator} (faults, stats, name table), {@link dev.atmodem.link.SerialLink}
 * (the host side, connected) and {@link dev.atmodem.testkit.RawHost} (that link as raw bytes) are injected; all of it
 * is closed after the test. A {@code RawHost} reads the link itself, so ask for it or read the {@code SerialLink}
 * yourself, not both.
 *
 * <pre>{@code
 * @SimulatedModem(dialect = "bg96", baud = 115200, rttMillis = 100)
 * class MyDriverTest {
 *     @Test
 *     void survivesReboot(ModemSimulator sim, SerialLink link) { ... sim.faults().reboot(); ... }
 * }
 * }</pre>
 *
 * On a method it overrides the one on the class. A Wi-Fi dialect:
 *
 * <pre>{@code
 * @SimulatedModem(dialect = "nina-w", wifiSsid = "lab", wifiPassphrase = "secret123")
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(SimulatedModemExtension.class)
public @interface SimulatedModem {

    /** The dialect, e.g. {@code bg96}. */
    String dialect() default "bg96";

    /** Serial line rate in both directions; 0 = unpaced. */
    int baud() default 115200;

    /** Network round trip applied to connect, DNS and data. */
    int rttMillis() default 0;

    /** Smallest output piece when {@link #fragmentMax()} is set. */
    int fragmentMin() default 1;

    /** Largest output piece; 0 = no fragmentation. */
    int fragmentMax() default 0;

    /** Seeds fragmentation and garbage bytes. */
    long seed() default 1;

    /** When not empty, the SIM starts locked by this PIN. */
    String pin() default "";

    /** Extra names for the modem's DNS, as {@code host=127.x.y.z}. */
    String[] names() default {};

    /** Wi-Fi dialects ({@code nina-w}, {@code odin-w2}): the SSID of the access point in range. */
    String wifiSsid() default SimOptions.DEFAULT_AP_SSID;

    /** Wi-Fi dialects: the access point's WPA2 passphrase; empty = an open network. */
    String wifiPassphrase() default SimOptions.DEFAULT_AP_PASSPHRASE;
}
