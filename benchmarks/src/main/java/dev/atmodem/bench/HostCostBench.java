package dev.atmodem.bench;

import dev.atmodem.Modem;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Issue 9 §5: what the library costs the host - AT parser throughput (JMH), CPU time per MiB moved end to end, threads
 * per open modem, heap per idle open socket. Threads are told apart by name: the simulator's carry its id, the traffic
 * server's start with {@code bench-}; everything else (the modem's reader and event threads, the application thread
 * that reads and writes) is the host's.
 */
final class HostCostBench {

    static final double MIN_PARSER_MBPS = 50;
    static final double MAX_CPU_MS_PER_MIB = 50;
    static final int MAX_THREADS = 3;
    static final double MAX_HEAP_KIB = 64;

    private HostCostBench() {
    }

    static void run(Config cfg, TrafficServer server, Report report) {
        try {
            report.add(parser(cfg));
        } catch (Exception e) {
            report.add(Row.failed("parser (JMH)", "host", e.toString()));
        }
        Map<Integer, CpuFloor.Cost> floors = new HashMap<>();
        for (int baud : CPU_LINES) {
            try {
                CpuFloor.Cost f = CpuFloor.measure(server, baud, cfg.bulkFast(), floors.isEmpty() ? cfg.jitWarmUp() : 0,
                        CpuFloor.Mode.ONE_THREAD, CpuFloor.Dialect.BG96);
                floors.put(baud, f);
                report.add(Row.info("CPU per MiB moved, floor (" + lineName(baud) + "): one thread, raw BG96 AT,"
                        + " no library", "host", String.format(Locale.ROOT, "%.1f ms (%.0f wake-ups/MiB)",
                        f.msPerMib(), f.switchesPerMib()), "-", f.msPerMib()));
            } catch (Exception e) {
                report.add(Row.failed("CPU per MiB floor (" + lineName(baud) + ")", "host", e.toString()));
            }
        }
        for (CpuFloor.Dialect d : cfg.modems().stream().map(BenchModem::floor).distinct().toList()) {
            try {
                // the floor with a reader thread is measured beside each library row (cpuPerMib); compiled code there
                // too (the SARA's pause makes its 50 ms per chunk sent even unpaced: a shorter warm-up)
                CpuFloor.measure(server, 0, d == CpuFloor.Dialect.SARA ? cfg.bulkFast() : cfg.jitWarmUp(), 0,
                        CpuFloor.Mode.READER_THREAD, d);
            } catch (Exception e) {
                report.add(Row.failed("CPU per MiB floor with a reader thread (warm-up)", d.name(), e.toString()));
            }
        }
        for (BenchModem m : cfg.modems()) {
            try {
                cpuPerMib(cfg, m, server, report, floors);
            } catch (Exception e) {
                report.add(Row.failed("CPU per MiB", m.dialect(), e.toString()));
            }
            try {
                threads(m, server, report);
            } catch (Exception e) {
                report.add(Row.failed("threads per open modem", m.dialect(), e.toString()));
            }
            try {
                heap(m, server, report);
            } catch (Exception e) {
                report.add(Row.failed("heap per idle socket", m.dialect(), e.toString()));
            }
        }
    }

    /** JMH, forked for the full run; one short in-process iteration for the quick run. JMH's own log goes to a file. */
    static Row parser(Config cfg) throws Exception {
        Path log = Files.createTempFile("atmodem-jmh", ".log");
        try {
            OptionsBuilder b = new OptionsBuilder();
            b.include(ParserBenchmark.class.getName()).output(log.toString()).shouldFailOnError(true);
            if (cfg.jmh()) {
                b.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(5)
                        .measurementTime(TimeValue.seconds(1));
            } else {
                b.forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(300));
            }
            Options o = b.build();
            RunResult r = new Runner(o).runSingle();
            double opsPerSecond = r.getPrimaryResult().getScore();
            double mbps = opsPerSecond * ParserBenchmark.mixLength() / 1e6;
            String how = cfg.jmh() ? "JMH, 1 fork, 5 x 1 s" : "JMH in-process, 1 x 0.3 s";
            return Row.atLeast("AT parser throughput (" + how + ")", "host",
                    String.format(Locale.ROOT, "%.1f MB/s", mbps), "-", mbps, MIN_PARSER_MBPS);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Host CPU per MiB uploaded and downloaded: the library's threads (reader, event thread) and the application
     * thread that writes and reads, measured by that thread itself. Left out: the simulator's and the server's
     * threads, and this thread, which only reads the counters and waits. Measured twice:
     * <ul>
     *   <li>on an unpaced line, where the threads never go idle: the engine's own cost per byte and per chunk;</li>
     *   <li>at 921600 baud, where every chunk wakes idle threads several times (prompt, acknowledgement, data-ready,
     *       read answer, the application's read); on a virtual machine each wake-up from idle costs tens of
     *       microseconds of CPU, which dominates this figure.</li>
     * </ul>
     * Each row names the floor for the same line, measured in the same run ({@link CpuFloor}: one thread speaking the
     * BG96's socket commands straight over the line, with no library): what any host pays on this machine for the
     * wake-ups that line forces. Beside it, measured just before each row, a floor with a reader thread that hands
     * each answer to the application thread, speaking the commands closest to the row's modem
     * ({@link BenchModem#floor()}): the cheapest host with the threads a socket library needs, and so the best a library
     * can do; the row says how many times that floor it costs.
     * An unpaced modem first moves {@link Config#jitWarmUp()} each way: the figure is the steady cost of an
     * application that has run for a while, not of code still interpreted or compiled with profiling (a paced
     * transfer of a few hundred KiB runs the per-chunk path only a few hundred times, below the JIT's thresholds).
     */
    static void cpuPerMib(Config cfg, BenchModem m, TrafficServer server, Report report,
                          Map<Integer, CpuFloor.Cost> floors) throws IOException {
        double wakeMicros;
        try {
            wakeMicros = Wakeups.calibrateMicros();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        warmUpJit(cfg, m, server);
        for (int baud : CPU_LINES) {
            int size = cfg.bulkFast();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            try (Rig rig = Rig.open(m, baud, 0)) {
                String simPrefix = rig.sim().toString();
                // this rig's first socket and buffers are not part of the steady cost either
                Transfer.upload(rig, server, cfg.bulkFast() / 4);
                Transfer.download(rig, server, cfg.bulkFast() / 4);
                // right before the library's run: this machine's wake-up cost drifts by 2 x within minutes
                CpuFloor.Cost threaded = CpuFloor.measure(server, baud, size, 0, CpuFloor.Mode.READER_THREAD,
                        m.floor());
                long me = Thread.currentThread().getId();
                Map<Long, Long> before = cpuByThread(mx);
                long switchesBefore = Wakeups.switches(HostCostBench::libraryThread);
                Transfer[] moved = new Transfer[2];
                AppCost app = onAppThread(() -> {
                    moved[0] = Transfer.upload(rig, server, size);
                    moved[1] = Transfer.download(rig, server, size);
                });
                long switches = Wakeups.switches(HostCostBench::libraryThread) - switchesBefore + app.switches();
                Map<Long, Long> after = cpuByThread(mx);
                Transfer up = moved[0];
                Transfer down = moved[1];
                long host = app.cpuNanos();
                long other = 0;
                Map<String, Long> byRole = new java.util.TreeMap<>();
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    Long a = after.get(t.getId());
                    if (a == null || t.getId() == me) {
                        continue;
                    }
                    long used = a - before.getOrDefault(t.getId(), 0L);
                    if (t.getName().startsWith(simPrefix) || t.getName().startsWith("bench-")) {
                        other += used;
                    } else {
                        host += used;
                        // "atmodem-reader bg96-sim-2" -> "reader": the split shows which hand-off costs what
                        String role = t.getName().split(" ")[0].replaceFirst("^atmodem-", "");
                        byRole.merge(role, used, Long::sum);
                    }
                }
                double mib = (up.payload() + down.payload()) / (1024.0 * 1024.0);
                double msPerMib = host / 1e6 / mib;
                String line = lineName(baud);
                CpuFloor.Cost floor = floors.get(baud);
                String limit = String.format(Locale.ROOT, "floor with a reader thread %.1f ms (%.0f wake-ups/MiB, %s"
                        + ")", threaded.msPerMib(), threaded.switchesPerMib(), m.floor().label())
                        + (floor == null ? "" : String.format(Locale.ROOT, "; one thread %.1f ms (BG96 commands)",
                        floor.msPerMib()));
                String wakeups = "";
                if (switches >= 0 && app.switches() >= 0) {
                    double perMib = switches / mib;
                    wakeups = String.format(Locale.ROOT, "; %.0f wake-ups/MiB x %.0f µs = %.0f ms", perMib,
                            wakeMicros, perMib * wakeMicros / 1e3);
                }
                StringBuilder split = new StringBuilder();
                long[] rest = new long[1];
                byRole.forEach((role, nanos) -> {
                    if (nanos / 1e6 / mib >= 0.5) {
                        split.append(String.format(Locale.ROOT, "%s %.0f + ", role, nanos / 1e6 / mib));
                    } else {
                        rest[0] += nanos; // the JVM's own idle threads
                    }
                });
                if (rest[0] / 1e6 / mib >= 0.5) {
                    split.append(String.format(Locale.ROOT, "other %.0f + ", rest[0] / 1e6 / mib));
                }
                split.append(String.format(Locale.ROOT, "application %.0f", app.cpuNanos() / 1e6 / mib));
                report.add(Row.atMost("CPU per MiB moved (" + line + ")", m.dialect(),
                        String.format(Locale.ROOT, "%.1f ms (%.2f x the floor with a reader thread) = %s (simulator"
                                + " + server: %.1f ms%s)", msPerMib, msPerMib / threaded.msPerMib(), split,
                                other / 1e6 / mib, wakeups), limit, msPerMib, MAX_CPU_MS_PER_MIB));
            }
        }
    }

    /**
     * Moves {@link Config#jitWarmUp()} each way through an unpaced modem, in rounds of 64 KiB, for at most
     * {@link #JIT_WARM_UP_NANOS} (the SARA's binary write pauses 50 ms per chunk even on an unpaced line).
     */
    private static void warmUpJit(Config cfg, BenchModem m, TrafficServer server) throws IOException {
        int round = Math.min(64 * 1024, cfg.jitWarmUp());
        long deadline = System.nanoTime() + JIT_WARM_UP_NANOS;
        try (Rig rig = Rig.open(m, 0, 0)) {
            for (long moved = 0; moved < cfg.jitWarmUp() && System.nanoTime() < deadline; moved += round) {
                Transfer.upload(rig, server, round);
                Transfer.download(rig, server, round);
            }
        }
    }

    /**
     * The lines the CPU is measured on: unpaced (0) and the fast baud; {@code -Dbench.cpuLines=0,115200,921600} picks
     * others (at 115200 baud each row moves its 256 KiB each way in about 46 s, so it is not in the default run).
     */
    private static final int[] CPU_LINES = java.util.Arrays.stream(
            System.getProperty("bench.cpuLines", "0," + Config.FAST).split(",")).map(String::strip)
            .mapToInt(Integer::parseInt).toArray();

    private static String lineName(int baud) {
        return baud == 0 ? "unpaced line" : baud + " baud";
    }

    static final long JIT_WARM_UP_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(20);

    /** The library's threads, by native name (Linux keeps 15 characters). */
    private static boolean libraryThread(String comm) {
        return comm.startsWith("atmodem-");
    }

    static final String APP_THREAD = "host-app";

    interface Work {
        void run() throws IOException;
    }

    /** What the application thread used: CPU time, and context switches (-1 where /proc cannot tell). */
    record AppCost(long cpuNanos, long switches) {
    }

    /** Runs the transfers on a thread of their own, which measures its own CPU time and context switches. */
    private static AppCost onAppThread(Work work) throws IOException {
        IOException[] failure = new IOException[1];
        AppCost[] cost = new AppCost[1];
        Thread t = new Thread(() -> {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long sw0 = Wakeups.ownSwitches();
            try {
                work.run();
            } catch (IOException e) {
                failure[0] = e;
            }
            long sw1 = Wakeups.ownSwitches();
            cost[0] = new AppCost(mx.getCurrentThreadCpuTime() - cpu0, sw0 < 0 || sw1 < 0 ? -1 : sw1 - sw0);
        }, APP_THREAD);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while moving data");
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return cost[0];
    }

    private static Map<Long, Long> cpuByThread(ThreadMXBean mx) {
        Map<Long, Long> m = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long cpu = mx.getThreadCpuTime(id);
            if (cpu >= 0) {
                m.put(id, cpu);
            }
        }
        return m;
    }

    /** Threads the library has running for one open modem with one socket that has just echoed a byte. */
    static void threads(BenchModem m, TrafficServer server, Report report) throws IOException {
        try (ModemSimulator sim = ModemSimulator.builder(m.simulatorDialect()).baud(Config.FAST)
                .pin(BenchModem.SIM_PIN).build()) {
            var link = sim.connectPipe();
            Set<Long> before = threadIds();
            try (Modem modem = Modem.open(link, m.options().get());
                 Socket s = modem.socketFactory().createSocket("127.0.0.1", server.port())) {
                TrafficServer.header(s.getOutputStream(), 'E', 0);
                // one echo, so that every thread a working modem uses (the event thread reads the answer) is counted
                s.setSoTimeout(30_000);
                s.getOutputStream().write('x');
                if (s.getInputStream().read() != 'x') {
                    throw new IOException("the echo through the modem came back wrong");
                }
                List<String> names = new ArrayList<>();
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (!before.contains(t.getId()) && !t.getName().startsWith(sim.toString())
                            && !t.getName().startsWith("bench-")) {
                        names.add(t.getName());
                    }
                }
                report.add(new Row("threads per open modem (1 socket, after an echo)", m.dialect(),
                        names.size() + " " + names.stream().map(n -> n.replace(" " + sim, "")).sorted().toList(),
                        "-", names.size(), "≤ " + MAX_THREADS, names.size() <= MAX_THREADS ? Row.PASS : Row.FAIL));
            }
        }
    }

    private static Set<Long> threadIds() {
        Set<Long> ids = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ids.add(t.getId());
        }
        return ids;
    }

    /**
     * Heap growth per idle open socket, with every socket of the model open. An upper bound: it includes the
     * simulator's and the server's objects for each connection.
     */
    static void heap(BenchModem m, TrafficServer server, Report report) throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        try (Rig rig = Rig.open(m, Config.FAST, 0)) {
            // one socket first, so that classes and lazy singletons do not count against the others
            try (Socket warm = Transfer.open(rig, server)) {
                TrafficServer.header(warm.getOutputStream(), 'E', 0);
            }
            int k = m.maxSockets() - 1;
            long before = usedHeap(mem);
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < k; i++) {
                    Socket s = Transfer.open(rig, server);
                    TrafficServer.header(s.getOutputStream(), 'E', 0);
                    sockets.add(s);
                }
                long after = usedHeap(mem);
                double kib = (after - before) / 1024.0 / k;
                report.add(Row.atMost("heap per idle open socket (" + k + " open)", m.dialect(),
                        String.format(Locale.ROOT, "%.1f KiB", kib), "-", kib, MAX_HEAP_KIB));
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    private static long usedHeap(MemoryMXBean mem) throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
