package dev.atmodem.bench;

import java.io.IOException;
import java.util.function.Consumer;

/** Runs every benchmark of issue 9 in a fixed order and collects one {@link Report}. */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** @param progress hears the name of each step as it starts (stderr in the CLI) */
    public static Report run(Config cfg, Consumer<String> progress) throws IOException {
        Report report = new Report();
        try (TrafficServer server = new TrafficServer()) {
            progress.accept("bulk throughput");
            ThroughputBench.run(cfg, server, report);
        }
        return report;
    }
}
