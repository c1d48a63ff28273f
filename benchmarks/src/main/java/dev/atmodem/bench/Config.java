package dev.atmodem.bench;

import java.util.List;

/**
 * How much each benchmark moves. {@link #full()} is the README run (a few minutes on two cores); {@link #quick()} is
 * the seconds-long run of the unit test, which checks that the table is produced, not the figures.
 *
 * @param modems        the modem rows to run
 * @param bulkSlow      bytes per bulk transfer at 115200 baud
 * @param bulkFast      bytes per bulk transfer at 921600 baud
 * @param perSocket     bytes per socket in the concurrency runs
 * @param rtts          round trips for the time to first publish
 * @param handshakeModem the modem the TLS handshakes are counted on
 * @param jmh           run the parser under JMH (forked) rather than a short in-process JMH run
 * @param jitWarmUp     bytes each way an unpaced modem moves before the CPU figures, so that they measure code the
 *                      optimising compiler (C2) has compiled, as in an application that has run for a while: C2 takes a
 *                      method after about 5,000 calls, and the per-chunk path runs once per 512-1,500 bytes, so 16 MiB
 *                      (4 MiB left that path compiled with profiling, the slowest compiled form)
 * @param publishWarmUps unpaced TLS + MQTT runs before the time to first publish is measured
 */
public record Config(List<BenchModem> modems, int bulkSlow, int bulkFast, int perSocket, List<Integer> rtts,
                     BenchModem handshakeModem, boolean jmh, int jitWarmUp, int publishWarmUps) {

    public static final int SLOW = 115_200;
    public static final int FAST = 921_600;

    public static Config full() {
        return new Config(BenchModem.ALL, 48 * 1024, 256 * 1024, 16 * 1024, List.of(100, 600), BenchModem.ALL.get(0),
                true, Integer.getInteger("bench.jitWarmUp", 16 << 20), Integer.getInteger("bench.publishWarmUps", 30));
    }

    /** The same run for other modems. */
    public Config withModems(List<BenchModem> chosen) {
        return new Config(chosen, bulkSlow, bulkFast, perSocket, rtts, chosen.get(0), jmh, jitWarmUp, publishWarmUps);
    }

    /** One modem, tiny sizes, JMH in-process for one short iteration. */
    public static Config quick(BenchModem modem) {
        return new Config(List.of(modem), 4 * 1024, 8 * 1024, 2 * 1024, List.of(100), modem, false, 16 * 1024, 1);
    }
}
