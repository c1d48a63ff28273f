package dev.atmodem.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Counts how often threads went to sleep and were woken (Linux: the context switches of {@code /proc/self/task}), and
 * what one wake-up from idle costs on this machine, so that the CPU per MiB on a paced line can be split into the
 * engine's work and the price of the line's pace: a line that delivers bytes a few hundred at a time wakes the
 * reader (and whoever it hands them to) that often, however little work each wake-up does.
 */
final class Wakeups {

    private Wakeups() {
    }

    /** Context switches, voluntary and not, of the threads whose native name (15 characters at most) matches. */
    static long switches(Predicate<String> name) {
        long total = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                total += switchesOf(t.resolve("status"), name);
            }
        } catch (IOException | RuntimeException e) {
            return -1;   // not Linux, or no /proc: the figure is left out
        }
        return total;
    }

    /** Context switches of the calling thread so far, or -1 where {@code /proc/thread-self} does not exist. */
    static long ownSwitches() {
        Path status = Path.of("/proc/thread-self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        return switchesOf(status, name -> true);
    }

    private static long switchesOf(Path status, Predicate<String> name) {
        try {
            List<String> lines = Files.readAllLines(status);
            String comm = lines.stream().filter(l -> l.startsWith("Name:")).findFirst().map(l -> l.substring(5).strip())
                    .orElse("");
            if (!name.test(comm)) {
                return 0;
            }
            long n = 0;
            for (String l : lines) {
                if (l.startsWith("voluntary_ctxt_switches:") || l.startsWith("nonvoluntary_ctxt_switches:")) {
                    n += Long.parseLong(l.substring(l.indexOf(':') + 1).strip());
                }
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return 0;   // the thread ended meanwhile
        }
    }

    /**
     * CPU time of one wake-up from idle, in microseconds: a thread sleeps 2 ms, wakes, wakes a parked partner; both
     * go back to sleep. Nearly no work is done, so the CPU the two threads use is the cost of the wake-ups themselves.
     */
    static double calibrateMicros() throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int rounds = 400;
        AtomicBoolean done = new AtomicBoolean();
        long[] cpu = new long[2];
        Thread partner = new Thread(() -> {
            long t0 = mx.getCurrentThreadCpuTime();
            while (!done.get()) {
                LockSupport.park();
            }
            cpu[1] = mx.getCurrentThreadCpuTime() - t0;
        }, "wake-partner");
        partner.start();
        Thread waker = new Thread(() -> {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds; i++) {
                LockSupport.parkNanos(2_000_000);
                LockSupport.unpark(partner);
            }
            cpu[0] = mx.getCurrentThreadCpuTime() - t0;
        }, "wake-waker");
        waker.start();
        waker.join();
        done.set(true);
        LockSupport.unpark(partner);
        partner.join();
        return (cpu[0] + cpu[1]) / 1e3 / (2.0 * rounds);
    }
}
