package dev.atmodem.testkit.expose;

import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated modem on a pseudo-terminal, so that any program (jSerialComm, minicom, a C driver) opens it as a serial
 * port. The simulator is served on a loopback TCP port and {@code socat} bridges a pty to it
 * ({@code socat pty,raw,echo=0,link=<path> tcp:127.0.0.1:<port>}); socat must be installed
 * ({@code apt-get install socat}).
 */
public final class PtyExposure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PtyExposure.class);
    private static final long START_TIMEOUT_MS = 5000;

    private final TcpExposure tcp;
    private final Process socat;
    private final Path link;
    private final String device;

    private PtyExposure(TcpExposure tcp, Process socat, Path link, String device) {
        this.tcp = tcp;
        this.socat = socat;
        this.link = link;
        this.device = device;
    }

    /** Whether {@code socat} can be run on this machine. */
    public static boolean socatAvailable() {
        try {
            Process p = new ProcessBuilder("socat", "-V").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            log.debug("socat not runnable: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Creates the pty with a symbolic link at {@code link} (replaced if it exists) and connects it to a simulator
     * made by {@code factory}.
     */
    public static PtyExposure start(Path link, Supplier<ModemSimulator> factory) throws IOException {
        TcpExposure tcp = TcpExposure.start(0, factory);
        Process p = null;
        try {
            Files.deleteIfExists(link);
            p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + link.toAbsolutePath(),
                    "tcp:127.0.0.1:" + tcp.port())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (!Files.exists(link)) {
                if (!p.isAlive()) {
                    throw new IOException("socat exited with " + p.exitValue() + " before creating " + link);
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("socat did not create " + link + " within " + START_TIMEOUT_MS + " ms");
                }
                Thread.sleep(10);
            }
            String device = link.toRealPath().toString();
            return new PtyExposure(tcp, p, link, device);
        } catch (IOException | RuntimeException e) {
            if (p != null) {
                p.destroyForcibly();
            }
            tcp.close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            tcp.close();
            throw new java.io.InterruptedIOException("interrupted while starting socat");
        }
    }

    /** The pty device, e.g. {@code /dev/pts/3}. */
    public String device() {
        return device;
    }

    /** The stable symbolic link to {@link #device()}. */
    public Path link() {
        return link;
    }

    /** The TCP side, e.g. to reach the simulator behind the pty with {@link TcpExposure#awaitSimulator}. */
    public TcpExposure tcp() {
        return tcp;
    }

    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socat.destroyForcibly();
        }
        tcp.close();
        try {
            Files.deleteIfExists(link);
        } catch (IOException e) {
            log.debug("removing {}: {}", link, e.toString());
        }
    }
}
