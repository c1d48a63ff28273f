package dev.atmodem.bench;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Issue 9 §4: 1, 4 and the model's maximum of sockets moving data at once (download, then upload) at 921600 baud: the
 * aggregate payload rate as a ratio to baud/10, and the fairness (slowest socket's rate / fastest socket's rate).
 * Each socket moves the same amount (plus its index, so that the server's marks tell the sockets apart); a fair line
 * lets them finish together. The aggregate runs from the first payload byte leaving to the last arriving (the
 * headers that select the server's mode are not payload).
 *
 * <p>A socket's rate runs from its own start, so sockets that start apart differ in rate even when the line is shared
 * evenly: a download starts when the server has its header, and a SARA's headers go one at a time, each after its
 * 50 ms prompt pause. The fairness figure says how far apart the sockets started and finished, so that a low figure
 * can be told apart from an uneven share (finishes far apart).
 */
final class ConcurrencyBench {

    static final double MIN_FAIRNESS = 0.8;

    private ConcurrencyBench() {
    }

    static void run(Config cfg, TrafficServer server, Report report) {
        for (BenchModem m : cfg.modems()) {
            for (int k : new int[] {1, 4, m.maxSockets()}) {
                try (Rig rig = Rig.open(m, Config.FAST, 0)) {
                    for (boolean down : new boolean[] {true, false}) {
                        measure(rig, server, k, cfg.perSocket(), down, report);
                    }
                } catch (Exception e) {
                    report.add(Row.failed("concurrency " + k, m.dialect(), e.toString()));
                }
            }
        }
    }

    private static void measure(Rig rig, TrafficServer server, int k, int perSocket, boolean down, Report report)
            throws Exception {
        List<Socket> sockets = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(k);
        try {
            for (int i = 0; i < k; i++) {
                sockets.add(Transfer.open(rig, server));
            }
            CyclicBarrier start = new CyclicBarrier(k);
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                Socket s = sockets.get(i);
                long length = perSocket + i;
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    Transfer t = down ? Transfer.download(rig, server, s, length)
                            : Transfer.upload(rig, server, s, length);
                    return new long[] {t.payload(), t.nanos(), t.start(), t.start() + t.nanos()};
                }));
            }
            long payload = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long lastStart = Long.MIN_VALUE;
            long firstEnd = Long.MAX_VALUE;
            double slowest = Double.MAX_VALUE;
            double fastest = 0;
            for (Future<long[]> f : results) {
                long[] r = f.get(Transfer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                payload += r[0];
                first = Math.min(first, r[2]);
                last = Math.max(last, r[3]);
                lastStart = Math.max(lastStart, r[2]);
                firstEnd = Math.min(firstEnd, r[3]);
                double rate = r[0] * 1e9 / r[1];
                slowest = Math.min(slowest, rate);
                fastest = Math.max(fastest, rate);
            }
            double aggregate = payload * 1e9 / (last - first);
            String dir = down ? "down" : "up";
            double limit = rig.lineBytesPerSecond();
            String modem = rig.target().dialect();
            report.add(Row.info("aggregate " + dir + ", " + k + " sockets", modem, ThroughputBench.kBps(aggregate),
                    ThroughputBench.kBps(limit), aggregate / limit));
            if (k > 1) {
                String figure = String.format(Locale.ROOT, "%s / %s; started over %d ms, finished over %d ms",
                        ThroughputBench.kBps(slowest), ThroughputBench.kBps(fastest), (lastStart - first) / 1_000_000,
                        (last - firstEnd) / 1_000_000);
                double fairness = slowest / fastest;
                report.add(k == rig.target().maxSockets()
                        ? Row.atLeast("fairness " + dir + ", " + k + " sockets (max)", modem, figure, "1.00",
                                fairness, MIN_FAIRNESS)
                        : Row.info("fairness " + dir + ", " + k + " sockets", modem, figure, "1.00", fairness));
            }
        } finally {
            pool.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
