package dev.atmodem.soak;

import dev.atmodem.LinkLostException;
import dev.atmodem.Modem;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.EchoCheck;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.expose.PtyExposure;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The serial port disappears under open sockets: the simulator sits behind a real pseudo-terminal (socat) that the
 * modem was opened on by path, and socat goes away with the pty. Every socket, blocked in a read or writing, must fail
 * with an exception that says the serial link is gone; {@link Modem#state()} says LINK_LOST; and the modem can be
 * opened again on the same path once the device is back. The issue asks for "within 1 s": {@code -Psoak} asserts that
 * bound; the normal suite, on a loaded shared machine, allows 10 s and reports the time it measured.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SerialPortLossTest {

    private static final int SOCKETS = 3;
    private static final long LIMIT_MS = Soak.pick(10_000, 1_000);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.atmodem.soak.SoakTarget#all")
    void socketsFailPromptlyAndTheModemReopens(SoakTarget target) throws Exception {
        assumeTrue(PtyExposure.socatAvailable(), "socat is not installed (apt-get install socat; .ci/run does it)");
        Path tty = dir.resolve("tty-" + target.name());
        List<String> states = new CopyOnWriteArrayList<>();
        long worstMs = 0;
        String message;
        try (LoopbackPeer echo = LoopbackPeer.echo()) {
            PtyExposure pty = PtyExposure.start(tty, () -> target.simulator().build());
            try (Modem modem = Modem.open(tty.toString(), target.options().get().withBaud(921_600))) {
                modem.addListener((from, to, why) -> states.add(to + ": " + why));
                List<Socket> sockets = new ArrayList<>();
                List<CompletableFuture<Long>> failures = new ArrayList<>();
                for (int i = 0; i < SOCKETS; i++) {
                    Socket s = modem.socketFactory().createSocket("localhost", echo.port());
                    EchoCheck.run(s, 2048, i, Duration.ofSeconds(60));
                    s.setSoTimeout(0);
                    sockets.add(s);
                }
                List<String> messages = new CopyOnWriteArrayList<>();
                for (Socket s : sockets) {
                    failures.add(CompletableFuture.supplyAsync(() -> {
                        IOException e = assertThrows(IOException.class, () -> s.getInputStream().read(),
                                "a read on a socket whose serial port vanished");
                        assertTrue(describes(e), "the exception says the serial link is gone: " + e);
                        messages.add(e.getMessage());
                        return System.nanoTime();
                    }));
                }
                Thread.sleep(100); // the readers are blocked
                long t0 = System.nanoTime();
                pty.close();       // the device vanishes: socat and its pty are gone
                for (CompletableFuture<Long> f : failures) {
                    long ms = TimeUnit.NANOSECONDS.toMillis(f.get(LIMIT_MS + 5_000, TimeUnit.MILLISECONDS) - t0);
                    worstMs = Math.max(worstMs, ms);
                }
                message = messages.get(0);
                assertTrue(worstMs <= LIMIT_MS, "sockets failed " + worstMs + " ms after the port vanished");
                IOException w = assertThrows(IOException.class, () -> sockets.get(0).getOutputStream()
                        .write(new byte[16]), "a write after the port vanished");
                assertTrue(describes(w), "the exception says the serial link is gone: " + w);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (modem.state() != ModemState.LINK_LOST && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertEquals(ModemState.LINK_LOST, modem.state(), "states: " + states);
                assertThrows(LinkLostException.class, () -> modem.awaitReady(Duration.ofSeconds(1)));
                assertThrows(IOException.class, () -> modem.socketFactory().createSocket("localhost", echo.port()));
            } finally {
                pty.close();
            }
            // plugged in again: same path, a fresh modem
            try (PtyExposure again = PtyExposure.start(tty, () -> target.simulator().build());
                 Modem modem = Modem.open(tty.toString(), target.options().get().withBaud(921_600));
                 Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                assertEquals(ModemState.READY, modem.state());
                EchoCheck.run(s, 4096, 99, Duration.ofSeconds(60));
            }
        }
        Soak.report("serial loss %-8s %d sockets failed at most %d ms after the pty vanished; LINK_LOST; reopened"
                + " on the same path and echoed (\"%s\")", target.name(), SOCKETS, worstMs, message);
    }

    private static boolean describes(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("serial link") || m.contains("link") && m.contains("closed");
    }

}
