package dev.atmodem.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Two connected pseudo-terminals made by socat ({@code apt-get install socat}; .ci/run installs it), so tests can open a
 * real serial device through jSerialComm.
 */
public final class PtyPair implements AutoCloseable {

    private final Process socat;
    public final Path a;
    public final Path b;

    public PtyPair(Path dir) throws IOException, InterruptedException {
        a = dir.resolve("pty-a");
        b = dir.resolve("pty-b");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (!socat.isAlive() || System.nanoTime() > until) {
                socat.destroyForcibly();
                throw new IOException("socat did not create the pseudo-terminals");
            }
            Thread.sleep(20);
        }
    }

    public static boolean socatAvailable() {
        try {
            Process p = new ProcessBuilder("socat", "-V").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
        }
    }
}
