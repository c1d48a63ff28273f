package dev.atmodem.link;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testing.EchoServer;
import dev.atmodem.testing.PtyPair;
import dev.atmodem.testing.TestModem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real serial path: jSerialComm opening a pseudo-terminal, with the fake modem on the other end. */
class SerialPtyTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsSocat() {
        assumeTrue(PtyPair.socatAvailable(), "socat is not installed (apt-get install socat; .ci/run does it)");
    }

    @Test
    void modemSocketsWorkThroughAPseudoTerminalOpenedWithJSerialComm() throws Exception {
        try (PtyPair pty = new PtyPair(dir);
             TestModem fake = new TestModem();
             EchoServer echo = new EchoServer();
             SerialLink modemSide = SerialLinks.open(pty.b.toString(), 115200)) {
            bridge(modemSide.input(), fake.hostLink().output());
            bridge(fake.hostLink().input(), modemSide.output());
            try (Modem modem = Modem.open(pty.a.toString(), ModemOptions.defaults())) {
                assertEquals("test", modem.driverName());
                byte[] data = new byte[20_000];
                new Random(7).nextBytes(data);
                try (Socket s = modem.socketFactory().createSocket("echo.test", echo.port())) {
                    s.setSoTimeout(20_000);
                    CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                        try {
                            return s.getInputStream().readNBytes(data.length);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    });
                    s.getOutputStream().write(data);
                    assertArrayEquals(data, back.get(60, TimeUnit.SECONDS));
                }
            }
        }
    }

    @Test
    void aWriteThatStallsIsEndedByTheWatchdog() throws Exception {
        try (PtyPair pty = new PtyPair(dir);
             SerialLink link = SerialLinks.open(pty.a.toString(),
                     SerialOptions.of(115200).withWriteStallTimeout(Duration.ofMillis(500)))) {
            // nobody reads the other end: the pty buffer fills and the write blocks until the watchdog fires
            byte[] chunk = new byte[64 * 1024];
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 64; i++) {
                    link.output().write(chunk);
                }
            });
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 30_000, "the stalled write took " + ms + " ms to fail");
            assertTrue(e.getMessage().contains("closed") || e.getMessage().contains("stalled"), e.getMessage());
            assertTrue(!link.isOpen());
        }
    }

    @Test
    void aMissingDeviceGivesAnActionableMessage() {
        IOException e = assertThrows(IOException.class, () -> SerialLinks.open(dir.resolve("nope").toString(), 9600));
        assertTrue(e.getMessage().contains("cannot open serial port"), e.getMessage());
    }

    private static void bridge(InputStream in, OutputStream out) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (n > 0) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed: the bridge ends with it
            }
        }, "pty-bridge");
        t.setDaemon(true);
        t.start();
    }
}
