package dev.atmodem.bench;

import java.io.IOException;
import java.util.function.Consumer;

/** Runs every benchmark of issue 9 in a fixed order and collects one {@link Report}. */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** @param progress hears the name of each step as it starts (stderr in the CLI) */
    /** The steps, in the order they run and print. */
    public enum Part { THROUGHPUT, PUBLISH, HANDSHAKE, CONCURRENCY, HOST }

    public static Report run(Config cfg, Consumer<String> progress) throws IOException {
        return run(cfg, java.util.EnumSet.allOf(Part.class), progress);
    }

    public static Report run(Config cfg, java.util.Set<Part> parts, Consumer<String> progress) throws IOException {
        Report report = new Report();
        try (TrafficServer server = new TrafficServer()) {
            if (parts.contains(Part.THROUGHPUT)) {
                progress.accept("bulk throughput");
                ThroughputBench.run(cfg, server, report);
            }
            if (parts.contains(Part.PUBLISH)) {
                progress.accept("time to first publish");
                guard(report, "first publish", () -> FirstPublishBench.run(cfg, report));
            }
            if (parts.contains(Part.HANDSHAKE)) {
                progress.accept("handshake cost");
                guard(report, "handshake cost", () -> HandshakeBench.run(cfg, report));
            }
            if (parts.contains(Part.CONCURRENCY)) {
                progress.accept("concurrency");
                ConcurrencyBench.run(cfg, server, report);
            }
            if (parts.contains(Part.HOST)) {
                progress.accept("host cost");
                HostCostBench.run(cfg, server, report);
            }
        }
        return report;
    }

    interface Step {
        void run() throws Exception;
    }

    /** A step that fails as a whole (e.g. the broker does not start) is one FAIL line, and the run goes on. */
    private static void guard(Report report, String measure, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            report.add(Row.failed(measure, "-", e.toString()));
        }
    }
}
