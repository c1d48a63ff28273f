package dev.atmodem.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Short run or long run: {@code -Psoak} sets the system property {@code atmodem.soak}; without it every soak test
 * runs a few seconds' version of itself. Figures go to standard output and to {@code target/soak-figures.txt}.
 */
final class Soak {

    static final boolean LONG = Boolean.getBoolean("atmodem.soak");
    private static final Path FIGURES = Path.of("target", "soak-figures.txt");

    private Soak() {
    }

    /** {@code shortValue} in the normal suite, {@code longValue} under {@code -Psoak}. */
    static long pick(long shortValue, long longValue) {
        return LONG ? longValue : shortValue;
    }

    static int pick(int shortValue, int longValue) {
        return LONG ? longValue : shortValue;
    }

    /** Prints one line of figures and keeps it for the README table. */
    static synchronized void report(String format, Object... args) {
        String line = (LONG ? "[soak] " : "[short] ") + String.format(java.util.Locale.ROOT, format, args);
        System.out.println(line);
        try {
            Files.createDirectories(FIGURES.getParent());
            Files.writeString(FIGURES, Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record soak figures in " + FIGURES.toAbsolutePath(), e);
        }
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
