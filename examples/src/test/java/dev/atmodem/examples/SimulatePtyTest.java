package dev.atmodem.examples;

import dev.atmodem.testkit.expose.PtyExposure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code atmodem simulate --pty} in this JVM, then {@code atmodem info --port /dev/pts/N} in a second process that
 * opens the pseudo-terminal through jSerialComm, the real serial path.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SimulatePtyTest {

    @TempDir
    Path dir;

    @Test
    void infoFromASecondProcessOnThePty() throws Exception {
        assumeTrue(PtyExposure.socatAvailable(), "socat is not installed (.ci/run installs it)");
        StringWriter simOut = new StringWriter();
        StringWriter simErr = new StringWriter();
        Path link = dir.resolve("ttyBG96");
        Thread sim = new Thread(() -> AtmodemCli.run(new String[] {"simulate", "--pty", link.toString(),
                "--duration", "90"}, new PrintWriter(simOut, true), new PrintWriter(simErr, true)), "simulate");
        sim.setDaemon(true);
        sim.start();
        try {
            String device = awaitDevice(simOut, simErr);
            Process info = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AtmodemCli.class.getName(),
                    "info", "--port", device).redirectErrorStream(true).start();
            assertTrue(info.waitFor(60, TimeUnit.SECONDS), "info did not finish");
            String output = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, info.exitValue(), output);
            assertTrue(output.contains("port:         " + device), output);
            assertTrue(output.contains("model:        BG96"), output);
            assertTrue(output.contains("registration: home"), output);
        } finally {
            sim.interrupt();
            sim.join(10_000);
        }
    }

    private static String awaitDevice(StringWriter out, StringWriter err) throws InterruptedException, IOException {
        Pattern p = Pattern.compile("simulator on (/dev/\\S+)");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < until) {
            Matcher m = p.matcher(out.toString());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(20);
        }
        throw new IOException("simulate did not report its pty; stdout: " + out + " stderr: " + err);
    }
}
