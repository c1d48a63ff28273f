package dev.atmodem.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's run command on the shaded jar, in its own JVM: proves the jar starts (Bouncy Castle without its
 * signatures, the merged ServiceLoader files that find the BG96 driver) and that the demo completes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AtmodemJarIT {

    private static Path jar() {
        // failsafe sets it, after package; a surefire run picked by a -Dtest pattern has no jar to test yet
        assumeTrue(System.getProperty("atmodem.jar") != null, "runs under failsafe (mvn verify), after package");
        Path jar = Path.of(System.getProperty("atmodem.jar"));
        assertTrue(Files.isRegularFile(jar), "no shaded jar at " + jar.toAbsolutePath());
        return jar;
    }

    private static String[] run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "did not finish: " + output);
        return new String[] {Integer.toString(p.exitValue()), output};
    }

    @Test
    void theReadmeRunCommand() throws Exception {
        String[] r = run("mqtt-publish");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("1 received by the subscriber on the broker"), r[1]);
        assertTrue(r[1].contains("TLS handshake: TLSv1.3"), r[1]);
        assertTrue(!r[1].contains("Exception"), "nothing alarming on stderr: " + r[1]);
    }

    @Test
    void anErrorIsOneLineAndExitCodeOne() throws Exception {
        String[] r = run("info", "--port", "sim:nokia-3310");
        assertEquals("1", r[0], r[1]);
        String err = r[1].strip();
        assertTrue(err.startsWith("atmodem info: unknown simulated modem 'sim:nokia-3310' (available: sim:bg96"), err);
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
    }
}
