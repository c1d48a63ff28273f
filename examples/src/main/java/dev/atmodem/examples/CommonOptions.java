package dev.atmodem.examples;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options every command that talks to a modem shares. */
public final class CommonOptions {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "sim:bg96",
            description = "The modem: a serial device (/dev/ttyUSB2, /dev/serial0, COM3), a remote serial port"
                    + " (tcp://HOST:PORT), or a simulated modem (sim:bg96, sim:sim800, sim:sara-r4, sim:sara-r5,"
                    + " sim:nina-w, sim:odin-w2; the Wi-Fi ones join the simulated access point unless --wifi-ssid"
                    + " is given). Default: ${DEFAULT-VALUE}.")
    public String port;

    @Option(names = "--baud", paramLabel = "N", defaultValue = "115200",
            description = "Serial line rate (default ${DEFAULT-VALUE}); for sim:* the simulated line's pacing.")
    public int baud;

    @Option(names = "--driver", paramLabel = "NAME", defaultValue = "auto",
            description = "auto (recognise the model), bg96, sim800 or ublox (u-blox SARA-R4/R5, NINA-W1/ODIN-W2)."
                    + " Default: ${DEFAULT-VALUE}.")
    public String driver;

    @Option(names = "--apn", paramLabel = "APN", description = "Access point name for the data connection.")
    public String apn;

    @Option(names = "--apn-user", paramLabel = "USER", description = "APN user name.")
    public String apnUser;

    @Option(names = "--apn-password", paramLabel = "PASSWORD", description = "APN password (never printed).")
    public String apnPassword;

    @Option(names = "--pin", paramLabel = "PIN", description = "SIM PIN, if the SIM asks for one (never printed).")
    public String pin;

    @Option(names = "--wifi-ssid", paramLabel = "SSID", description = "Wi-Fi network, for Wi-Fi modules.")
    public String wifiSsid;

    @Option(names = "--wifi-password", paramLabel = "PASSPHRASE", description = "Wi-Fi passphrase (never printed).")
    public String wifiPassword;

    @Option(names = "--rtt-ms", paramLabel = "MS", defaultValue = "100",
            description = "sim:* only: the simulated network round trip (default ${DEFAULT-VALUE} ms).")
    public int rttMillis;

    @Option(names = "--sim-name", paramLabel = "HOST=IPV4",
            description = "sim:* only: add a name to the simulated modem's DNS (loopback addresses only;"
                    + " localhost and broker.test are preset).")
    public Map<String, String> simNames = new LinkedHashMap<>();

    @Option(names = "--trace", description = "Print the AT traffic (secrets masked) and stack traces of errors.")
    public boolean trace;

    @Option(names = "--verbose", description = "More log output, and stack traces of errors.")
    public boolean verbose;
}
