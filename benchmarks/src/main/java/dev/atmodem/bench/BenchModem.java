package dev.atmodem.bench;

import dev.atmodem.ModemOptions;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One benchmark target: a simulator dialect, how to open it, how many sockets it has and the throughput
 * targets. {@link #ALL} is the table; a new modem (e.g. {@code nina-w}) is one more row.
 *
 * @param dialect    the name printed in the table: the testkit dialect, optionally followed by a space and a variant
 *                   of the driver's options ({@code sara-r4 hex}); see {@link #simulatorDialect()}
 * @param options    the options the modem is opened with
 * @param maxSockets the model's socket count (the "max" concurrency step)
 * @param targets    minimum ratios to baud/10
 */
public record BenchModem(String dialect, Supplier<ModemOptions> options, int maxSockets, Targets targets) {

    /**
     * Minimum bulk throughput ratios (payload bytes per second / (baud/10)), per issue 9.
     *
     * @param up115k   upload at 115200 baud
     * @param down115k download at 115200 baud
     * @param upFast   upload at 921600 baud
     * @param downFast download at 921600 baud
     */
    public record Targets(double up115k, double down115k, double upFast, double downFast) {

        /** BG96 and SIM800: 0.95 / 0.90 at 115200, 0.90 / 0.85 at 921600. */
        static final Targets LARGE_CHUNKS = new Targets(0.95, 0.90, 0.90, 0.85);
        /** SARA (1024-byte chunks): 0.90 / 0.85 at both rates. */
        static final Targets SMALL_CHUNKS = new Targets(0.90, 0.85, 0.90, 0.85);

        double upload(int baud) {
            return baud <= 115_200 ? up115k : upFast;
        }

        double download(int baud) {
            return baud <= 115_200 ? down115k : downFast;
        }
    }

    /** What a user writes: an APN and the SIM's PIN; every other setting is the library's default. */
    static ModemOptions cellular() {
        return ModemOptions.cellular("internet").withPin(SIM_PIN);
    }

    /** NINA-W: the simulated access point's SSID and passphrase; every other setting is the library's default. */
    static ModemOptions wifi() {
        return ModemOptions.wifi(WIFI_SSID, WIFI_PASSPHRASE);
    }

    /**
     * SIM800 on its defaults, quick send included ({@code AT+CIPQSEND=1}: a send completes on the modem's
     * {@code DATA ACCEPT}; with {@code sim800.quickSend=false} every write waits a network round trip for the peer's TCP
     * acknowledgement: time to first publish 1.49-1.64 x the floor).
     */
    static ModemOptions sim800() {
        return cellular();
    }

    /**
     * SARA in HEX mode (driver option {@code ublox.write=hex}): writes go inline as hex digits without the {@code @}
     * prompt's 50 ms pause, at two line characters per byte; reads come back as hex too.
     */
    static ModemOptions saraHex() {
        return cellular().withDriverOption("ublox.write", "hex");
    }

    /** dialect, options, max sockets, targets: one line per modem. */
    /**
     * Whose raw commands the CPU rows' floor speaks: the SARA's binary writes (prompt and 50 ms pause) for the SARA
     * rows, its HEX-mode writes and reads for the SARA hex rows, the BG96's for the others (the SIM800's send and read
     * have the BG96's shape; the NINA-W's pushed EDM frames have no floor of their own).
     */
    CpuFloor.Dialect floor() {
        if (!dialect.startsWith("sara-")) {
            return CpuFloor.Dialect.BG96;
        }
        return dialect.endsWith(" hex") ? CpuFloor.Dialect.SARA_HEX : CpuFloor.Dialect.SARA;
    }

    public static final List<BenchModem> ALL = List.of(
            new BenchModem("bg96", BenchModem::cellular, 12, Targets.LARGE_CHUNKS),
            new BenchModem("sim800", BenchModem::sim800, 6, Targets.LARGE_CHUNKS),
            new BenchModem("sara-r4", BenchModem::cellular, 7, Targets.SMALL_CHUNKS),
            new BenchModem("sara-r5", BenchModem::cellular, 7, Targets.SMALL_CHUNKS),
            new BenchModem("sara-r4 hex", BenchModem::saraHex, 7, Targets.SMALL_CHUNKS),
            new BenchModem("sara-r5 hex", BenchModem::saraHex, 7, Targets.SMALL_CHUNKS),
            // Issue 9 names no NINA target; it gets the BG96 ones (EDM frames up to 635 B of data, no prompt pause).
            new BenchModem("nina-w", BenchModem::wifi, 7, Targets.LARGE_CHUNKS));

    /** The testkit dialect the row runs on: its name up to the first space ("sara-r4 hex" runs on "sara-r4"). */
    public String simulatorDialect() {
        int space = dialect.indexOf(' ');
        return space < 0 ? dialect : dialect.substring(0, space);
    }

    public static Optional<BenchModem> named(String dialect) {
        return ALL.stream().filter(m -> m.dialect().equals(dialect)).findFirst();
    }

    /** The simulator starts with this PIN, which {@link #cellular()} unlocks. */
    static final String SIM_PIN = "1234";

    /** The nina-w simulator's access point. */
    static final String WIFI_SSID = "atmodem-sim";
    static final String WIFI_PASSPHRASE = "atmodem-sim-pass";
}
