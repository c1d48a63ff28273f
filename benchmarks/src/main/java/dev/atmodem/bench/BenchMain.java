package dev.atmodem.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar benchmarks/target/benchmarks.jar}: runs everything and prints one Markdown table on stdout. */
@Command(name = "benchmarks", mixinStandardHelpOptions = true,
        description = "Measures every simulated modem against the physical limits and prints one Markdown table.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--quick", description = "Tiny sizes, one modem, JMH in-process (seconds; what the unit test runs).")
    boolean quick;

    @Option(names = "--modem", split = ",", description = "Only these modem rows (default: all of ${COMPLETION-CANDIDATES}).",
            completionCandidates = ModemNames.class)
    List<String> modems = new ArrayList<>();

    @Option(names = "--only", split = ",", description = "Only these parts: ${COMPLETION-CANDIDATES} (default: all).")
    java.util.Set<Benchmarks.Part> only = java.util.EnumSet.allOf(Benchmarks.Part.class);

    @Option(names = "--out", description = "Also write the table to this file.")
    Path out;

    @Option(names = "--strict", description = "Exit with status 1 when a line fails its target.")
    boolean strict;

    static final class ModemNames extends ArrayList<String> {
        ModemNames() {
            BenchModem.ALL.forEach(m -> add(m.dialect()));
        }
    }

    @Override
    public Integer call() throws Exception {
        List<BenchModem> chosen = new ArrayList<>();
        for (String name : modems) {
            chosen.add(BenchModem.named(name).orElseThrow(() -> new CommandLine.ParameterException(
                    new CommandLine(this), "unknown modem '" + name + "'; known: " + new ModemNames())));
        }
        Config cfg = quick ? Config.quick(chosen.isEmpty() ? BenchModem.ALL.get(0) : chosen.get(0)) : Config.full();
        if (!quick && !chosen.isEmpty()) {
            cfg = cfg.withModems(chosen);
        }
        long t0 = System.nanoTime();
        Report report = Benchmarks.run(cfg, only, step -> System.err.println("[benchmarks] " + step + " ..."));
        String table = report.toMarkdown();
        System.out.print(table);
        System.err.printf("[benchmarks] %d lines, %d FAIL, %.0f s%n", report.rows().size(), report.failures(),
                (System.nanoTime() - t0) / 1e9);
        if (out != null) {
            Files.writeString(out, table);
        }
        return strict && report.failures() > 0 ? 1 : 0;
    }

    public static void main(String[] args) {
        // the table goes to stdout; the modems' INFO logging would bury it
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
