package dev.atmodem.hostile;

import java.util.List;

/**
 * The table every cross-driver hostile-input test runs over: one row per simulator dialect and the driver that must
 * take it. A new driver is one row here (NINA-W: {@code new DriverCase("nina-w", "ublox", false)}).
 *
 * @param dialect  the testkit dialect name
 * @param driver   the driver name {@code Modem.driverName()} must report
 * @param cellular whether it attaches with an APN (else Wi-Fi SSID and passphrase)
 */
record DriverCase(String dialect, String driver, boolean cellular) {

    static final List<DriverCase> ALL = List.of(
            new DriverCase("bg96", "bg96", true),
            new DriverCase("sim800", "sim800", true),
            new DriverCase("sara-r4", "ublox", true),
            new DriverCase("sara-r5", "ublox", true));

    @Override
    public String toString() {
        return dialect;
    }
}
