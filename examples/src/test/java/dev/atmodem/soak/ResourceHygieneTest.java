package dev.atmodem.soak;

import dev.atmodem.Modem;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resource hygiene on every modem: many socket open/echo/close cycles and many recoveries (reboots and bearer losses,
 * alternating; the recoveries they cause) must leave the thread count, the open file descriptors ({@code /proc/self/fd}) and the heap where they
 * were. The tolerances are small against what a leak of one thread, one descriptor or one receive buffer per cycle
 * would add. Normal suite: 100 cycles and 6 recoveries per modem; {@code -Psoak}: 1,000 and 100.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class ResourceHygieneTest {

    private static final int CYCLES = Soak.pick(100, 1000);
    private static final int RECOVERIES = Soak.pick(6, 100);
    private static final int THREAD_TOLERANCE = 4;
    private static final int FD_TOLERANCE = 8;
    private static final long HEAP_TOLERANCE = 8L << 20;
    private static final Path FDS = Path.of("/proc/self/fd");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.atmodem.soak.SoakTarget#all")
    void socketCyclesAndRecoveriesLeaveNothingBehind(SoakTarget target) throws Exception {
        ModemSimulator sim = target.simulator().fragmentation(1, 256).seed(11).build();
        AtomicInteger recovered = new AtomicInteger();
        try (LoopbackPeer echo = LoopbackPeer.echo();
             Modem modem = Modem.open(sim.connectPipe(), target.options(sim, 50))) {
            modem.addListener((from, to, why) -> {
                if (from == ModemState.RECOVERING && to == ModemState.READY) {
                    recovered.incrementAndGet();
                }
            });
            // warm-up: classes loaded, pools and buffers at their working size
            cycles(modem, echo, 20);
            recoveries(modem, sim, echo, recovered, 2);
            Snapshot before = Snapshot.settled(null);
            int warmRecoveries = recovered.get();
            long t0 = System.nanoTime();
            cycles(modem, echo, CYCLES);
            recoveries(modem, sim, echo, recovered, RECOVERIES);
            cycles(modem, echo, 5);   // and it still works
            int recoveries = recovered.get() - warmRecoveries;
            assertTrue(recoveries >= RECOVERIES / 2, "recoveries seen: " + recoveries);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Snapshot after = Snapshot.settled(before);
            assertTrue(after.threads <= before.threads + THREAD_TOLERANCE, "threads " + before + " -> " + after
                    + "\n" + threadNames());
            assertTrue(after.fds <= before.fds + FD_TOLERANCE, "file descriptors " + before + " -> " + after);
            assertTrue(after.heap <= before.heap + HEAP_TOLERANCE, "heap " + before + " -> " + after);
            Soak.report("hygiene %-8s %d socket cycles + %d faults (%d recoveries) in %.0f s: threads %d -> %d,"
                            + " fds %d -> %d, heap %.1f -> %.1f MiB", target.name(), CYCLES, RECOVERIES,
                    recoveries, seconds, before.threads,
                    after.threads, before.fds, after.fds, Soak.mib(before.heap), Soak.mib(after.heap));
        } finally {
            sim.close();
        }
    }

    private static void cycles(Modem modem, LoopbackPeer echo, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            byte[] msg = ("cycle " + i).getBytes(StandardCharsets.US_ASCII);
            try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(msg);
                assertArrayEquals(msg, s.getInputStream().readNBytes(msg.length), "echo of cycle " + i);
            }
        }
    }

    /**
     * Each fault, then socket work until a socket works again. A bearer loss always makes the modem recover; a
     * reboot does when the driver sees it (a boot banner, or a socket command finding the modem's settings gone); a
     * SARA, whose simulator has no banner and whose context comes back by itself, may simply carry on.
     */
    private static void recoveries(Modem modem, ModemSimulator sim, LoopbackPeer echo, AtomicInteger recovered,
                                   int n) throws Exception {
        for (int i = 0; i < n; i++) {
            int before = recovered.get();
            boolean bearer = i % 2 == 1;
            if (bearer) {
                sim.faults().bearerLoss();
            } else {
                sim.faults().reboot();
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("no working socket within 60 s of fault " + (i + 1) + " of " + n);
                }
                try {
                    modem.awaitReady(Duration.ofSeconds(30));
                    if (!bearer || recovered.get() > before) {
                        cycles(modem, echo, 1);
                        break;
                    }
                } catch (IOException e) {
                    // expected while the fault is found and recovered from
                }
                Thread.sleep(20);
            }
        }
    }

    private static String threadNames() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().keySet().forEach(t -> b.append(t.getName()).append('\n'));
        return b.toString();
    }

    /** Threads, descriptors and heap after garbage collection. */
    private record Snapshot(int threads, long fds, long heap) {

        /** Takes snapshots for up to 15 s until the figures stop falling (or are within tolerance of {@code base}). */
        static Snapshot settled(Snapshot base) throws IOException, InterruptedException {
            Snapshot s = take();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < until) {
                if (base != null && s.threads <= base.threads + THREAD_TOLERANCE && s.fds <= base.fds + FD_TOLERANCE
                        && s.heap <= base.heap + HEAP_TOLERANCE) {
                    return s;
                }
                Thread.sleep(250);
                Snapshot n = take();
                if (base == null && n.threads == s.threads && n.fds == s.fds) {
                    return n;
                }
                s = n;
            }
            return s;
        }

        static Snapshot take() throws IOException {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long fds;
            try (Stream<Path> l = Files.list(FDS)) {
                fds = l.count();
            }
            return new Snapshot(Thread.activeCount(), fds,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }

        @Override
        public String toString() {
            return threads + " threads, " + fds + " fds, " + heap / 1024 + " KiB heap";
        }
    }
}
