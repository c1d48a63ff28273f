package dev.atmodem;

/**
 * Signal quality from {@code AT+CSQ}.
 *
 * @param rssi the raw 0..31 value, 99 when unknown
 * @param ber  the raw bit error rate class, 99 when unknown
 */
public record SignalQuality(int rssi, int ber) {

    /** Received signal strength in dBm (-113 for 0 up to -51 for 31), or null when the modem does not know. */
    public Integer dbm() {
        if (rssi < 0 || rssi > 31) {
            return null;
        }
        return -113 + 2 * rssi;
    }

    @Override
    public String toString() {
        Integer d = dbm();
        return d == null ? "unknown" : d + " dBm (CSQ " + rssi + ")";
    }
}
