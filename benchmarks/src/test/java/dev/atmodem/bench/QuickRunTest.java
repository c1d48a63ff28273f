package dev.atmodem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness in seconds (tiny sizes, one modem, JMH in-process for one short iteration), so that it cannot
 * rot: every measure of issue 9 is in the table, with sane figures. Timings are not asserted (they belong to the full
 * run); only what must hold on any machine: ratios are positive and a line never carries more than its rate.
 */
class QuickRunTest {

    @Test
    void quickRunProducesEveryMeasure() throws Exception {
        BenchModem bg96 = BenchModem.named("bg96").orElseThrow();
        Report report = Benchmarks.run(Config.quick(bg96), step -> { });
        List<Row> rows = report.rows();

        for (Row r : rows) {
            assertFalse(r.figure().startsWith("error:"), () -> "a measurement broke: " + r);
        }
        for (String measure : List.of("upload 115200", "download 115200", "upload 921600", "download 921600")) {
            Row r = one(rows, x -> x.measure().equals(measure));
            assertTrue(r.ratio() > 0.05 && r.ratio() < 1.5, () -> "throughput ratio out of physical bounds: " + r);
            assertTrue(r.target().startsWith("≥"), () -> "no target printed: " + r);
            assertTrue(r.verdict().equals(Row.PASS) || r.verdict().equals(Row.FAIL), r::toString);
        }
        for (String measure : List.of("line efficiency up 115200", "line efficiency down 921600")) {
            Row r = one(rows, x -> x.measure().equals(measure));
            assertTrue(r.ratio() > 0.5 && r.ratio() <= 1.0, () -> "payload / serial bytes out of bounds: " + r);
        }
        Row publish = one(rows, x -> x.measure().equals("first publish RTT 100 ms"));
        assertTrue(publish.ratio() >= 1.0, () -> "faster than the physical floor is impossible: " + publish);
        for (String key : List.of("ECDSA P-256", "RSA-2048")) {
            for (String kind : List.of("TLS 1.3 full, ", "TLS 1.2 full, ", "TLS 1.2 resumed, ")) {
                Row r = one(rows, x -> x.measure().equals(kind + key));
                assertTrue(r.figure().matches("↑ \\d+ B ↓ \\d+ B, \\d+ RT.*"), r::toString);
            }
            Row resumed = one(rows, x -> x.measure().equals("TLS 1.2 resumed, " + key));
            assertTrue(resumed.ratio() < 1.0, () -> "a resumed handshake must cost less than a full one: " + resumed);
        }
        for (int k : new int[] {1, 4, 12}) {
            one(rows, x -> x.measure().equals("aggregate down, " + k + " sockets"));
            one(rows, x -> x.measure().equals("aggregate up, " + k + " sockets"));
        }
        Row fairness = one(rows, x -> x.measure().equals("fairness down, 12 sockets (max)"));
        assertTrue(fairness.ratio() > 0 && fairness.ratio() <= 1.0, fairness::toString);
        assertTrue(fairness.figure().matches(".* kB/s / .* kB/s; started over \\d+ ms, finished over \\d+ ms"),
                fairness::toString);
        assertTrue(one(rows, x -> x.measure().startsWith("AT parser throughput")).ratio() > 0);
        assertTrue(one(rows, x -> x.measure().equals("CPU per MiB moved (unpaced line)")).ratio() > 0);
        assertTrue(one(rows, x -> x.measure().equals("CPU per MiB moved (921600 baud)")).ratio() > 0);
        for (String line : List.of("unpaced line", "921600 baud")) {
            Row floor = one(rows, x -> x.measure().startsWith("CPU per MiB moved, floor (" + line + ")"));
            assertTrue(floor.ratio() > 0, floor::toString);
            Row cpu = one(rows, x -> x.measure().equals("CPU per MiB moved (" + line + ")"));
            assertTrue(cpu.limit().startsWith("floor with a reader thread ") && cpu.limit().contains("; one thread "),
                    () -> "the library's row names both floors: " + cpu);
            assertTrue(cpu.figure().matches("[0-9.]+ ms \\([0-9.]+ x the floor with a reader thread\\) = .*"),
                    () -> "the library's row says how many times the floor it costs: " + cpu);
        }
        Row threads = one(rows, x -> x.measure().startsWith("threads per open modem"));
        assertTrue(threads.ratio() >= 1, () -> "a modem has at least its reader thread: " + threads);
        one(rows, x -> x.measure().startsWith("heap per idle open socket"));

        String table = report.toMarkdown();
        assertTrue(table.startsWith(Report.HEADER + "\n"), table);
        assertEquals(rows.size() + 2, table.split("\n").length, table);
    }

    private static Row one(List<Row> rows, Predicate<Row> which) {
        List<Row> found = rows.stream().filter(which).toList();
        assertEquals(1, found.size(), () -> "expected exactly one such line in " + rows);
        return found.get(0);
    }
}
