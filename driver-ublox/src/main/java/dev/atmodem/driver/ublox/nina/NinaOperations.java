package dev.atmodem.driver.ublox.nina;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a NINA-W / ODIN-W2 offers beyond sockets: its PPP interface (AT-REFERENCE §4E, §4X). Reach it with
 * {@code modem.feature(NinaOperations.class)}. PPP needs the line in AT command mode, so open the modem with the
 * driver option {@code nina.dataMode=command} (the Wi-Fi is joined, no EDM, no sockets).
 *
 * <pre>{@code
 * NinaOperations nina = modem.feature(NinaOperations.class).orElseThrow();
 * nina.configurePpp(101, "172.20.10.4");   // the PPP peer's IPv4 address
 * nina.configurePpp(102, "255.255.255.0");
 * PppLine ppp = nina.enterPpp();            // ATO3: from now on the line carries PPP frames
 * }</pre>
 *
 * The PPP tags and {@code ATO3} are UNCONFIRMED against the manual (§4E); the in-JVM PPP stack that would use the
 * line is separate work.
 */
public interface NinaOperations {

    /**
     * {@code AT+UPPPC=<tag>,<value>}: one PPP interface parameter, for example 101 peer IPv4 address, 102 netmask,
     * 104/105 DNS servers. The value may hold digits, letters, dots and colons only.
     */
    void configurePpp(int tag, String value) throws IOException;

    /**
     * {@code ATO3}: switches the line into PPP. After the module's {@code OK} every byte it sends goes to the returned
     * line's input, and what is written to its output goes to the module unchanged; the AT engine hears nothing more,
     * so the {@code Modem} can only be closed. Refused in Extended Data Mode.
     */
    PppLine enterPpp() throws IOException;

    /** The raw PPP byte stream in both directions. */
    interface PppLine {
        InputStream input();

        OutputStream output();
    }
}
