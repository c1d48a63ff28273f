package dev.atmodem.bench;

import java.util.Locale;

/**
 * Issue 9 §1: bulk throughput through one socket, upload and download separately, at 115200 and 921600 baud, as a
 * ratio to baud/10; and the line efficiency (payload bytes / all serial bytes that direction).
 */
final class ThroughputBench {

    private ThroughputBench() {
    }

    static void run(Config cfg, TrafficServer server, Report report) {
        for (BenchModem m : cfg.modems()) {
            for (int baud : new int[] {Config.SLOW, Config.FAST}) {
                int size = baud == Config.SLOW ? cfg.bulkSlow() : cfg.bulkFast();
                try (Rig rig = Rig.open(m, baud, 0)) {
                    Transfer up = Transfer.upload(rig, server, size);
                    Transfer down = Transfer.download(rig, server, size);
                    report.add(rate("upload", rig, up, m.targets().upload(baud)));
                    report.add(efficiency("line efficiency up", rig, up.payload(), up.line().up()));
                    report.add(rate("download", rig, down, m.targets().download(baud)));
                    report.add(efficiency("line efficiency down", rig, down.payload(), down.line().down()));
                } catch (Exception e) {
                    report.add(Row.failed("throughput " + baud, m.dialect(), e.toString()));
                }
            }
        }
    }

    static Row rate(String what, Rig rig, Transfer t, double min) {
        double limit = rig.lineBytesPerSecond();
        return Row.atLeast(what + " " + rig.baud(), rig.target().dialect(), kBps(t.rate()), kBps(limit),
                t.rate() / limit, min);
    }

    static Row efficiency(String what, Rig rig, long payload, long lineBytes) {
        return Row.info(what + " " + rig.baud(), rig.target().dialect(),
                payload + " / " + lineBytes + " B", "1.00", payload / (double) lineBytes);
    }

    static String kBps(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.2f kB/s", bytesPerSecond / 1000);
    }
}
