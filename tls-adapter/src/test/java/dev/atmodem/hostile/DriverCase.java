package dev.atmodem.hostile;

import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.sim.SimOptions;

import java.util.List;

/**
 * The table every cross-driver hostile-input test runs over: one row per simulator dialect, the driver that must take
 * it, and where its socket reads and writes can be attacked. A new driver is one row here.
 *
 * @param dialect     the testkit dialect name
 * @param driver      the driver name {@code Modem.driverName()} must report
 * @param cellular    whether it attaches with an APN (else Wi-Fi SSID and passphrase)
 * @param readCommand regex of the command that reads a socket's data; group 1 is the socket id (null: EDM data)
 * @param readHeader  the answer header that announces a payload: {@code %1$s} the socket id, {@code %2$s} the length
 * @param sendCommand regex of the command that asks for the data prompt
 * @param optionKeys  the driver's {@code ModemOptions.withDriverOption} keys (values that may reach a command line)
 */
public record DriverCase(String dialect, String driver, boolean cellular, String readCommand, String readHeader,
                  String sendCommand, List<String> optionKeys) {

    public static final List<DriverCase> ALL = List.of(
            new DriverCase("bg96", "bg96", true,
                    "AT\\+QIRD=(\\d+),\\d+", "\r\n+QIRD: %2$s\r\n", "AT\\+QISEND=\\d+,\\d+",
                    List.of("bg96.context", "bg96.accessMode")),
            new DriverCase("sim800", "sim800", true,
                    "AT\\+CIPRXGET=2,(\\d+),\\d+", "\r\n+CIPRXGET: 2,%1$s,%2$s,0\r\n", "AT\\+CIPSEND=\\d+,\\d+",
                    List.of("sim800.receive", "sim800.quickSend")),
            new DriverCase("sara-r4", "ublox", true,
                    "AT\\+USORD=(\\d+),\\d+", "\r\n+USORD: %1$s,%2$s,\"", "AT\\+USOWR=\\d+,\\d+",
                    List.of("ublox.context", "ublox.connect")),
            new DriverCase("sara-r5", "ublox", true,
                    "AT\\+USORD=(\\d+),\\d+", "\r\n+USORD: %1$s,%2$s,\"", "AT\\+USOWR=\\d+,\\d+",
                    List.of("ublox.context", "ublox.connect")),
            // NINA-W moves data in EDM frames: no read command, no prompt (HostileEdmInputTest has its cases).
            new DriverCase("nina-w", "ublox", false, null, null, null, List.of("nina.dataMode")));

    /**
     * True for a u-connectXpress row: AT text and socket data travel in EDM frames once attached, so the cases
     * built on a read answer or a data prompt do not apply and have EDM equivalents.
     */
    public boolean edm() {
        return readCommand == null;
    }

    /** The rows whose socket data travels in AT answers and after prompts. */
    public static List<DriverCase> atData() {
        return ALL.stream().filter(d -> !d.edm()).toList();
    }

    /** The attach options for this row: an APN for cellular rows, an SSID and passphrase for Wi-Fi ones. */
    public ModemOptions baseOptions() {
        return cellular ? ModemOptions.cellular("internet") : ModemOptions.wifi(SimOptions.DEFAULT_AP_SSID, SimOptions.DEFAULT_AP_PASSPHRASE);
    }

    @Override
    public String toString() {
        return dialect;
    }
}
