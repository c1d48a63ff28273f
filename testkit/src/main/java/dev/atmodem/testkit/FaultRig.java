package dev.atmodem.testkit;

import dev.atmodem.Modem;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a driver's fault test works with: a simulator, the real driver opened over it, a {@link ModemWatch} on the
 * modem and an echo server on 127.0.0.1, closed together. {@link #assertWorksAgain()} is the check every fault ends
 * with: the modem is READY and a fresh socket echoes 20,000 bytes byte-exact.
 */
public final class FaultRig implements AutoCloseable {

    /** Opens the driver under test over a simulator. */
    public interface Opener {
        Modem open(ModemSimulator sim) throws IOException;
    }

    public final ModemSimulator sim;
    public final Modem modem;
    public final ModemWatch watch;
    private final LoopbackPeer echo;

    private FaultRig(ModemSimulator sim, Modem modem, LoopbackPeer echo) {
        this.sim = sim;
        this.modem = modem;
        this.watch = ModemWatch.of(modem);
        this.echo = echo;
    }

    /** Opens the driver over {@code sim}; on failure closes the simulator too. */
    public static FaultRig open(ModemSimulator sim, Opener opener) throws IOException {
        Modem modem = null;
        try {
            modem = opener.open(sim);
            return new FaultRig(sim, modem, LoopbackPeer.echo());
        } catch (IOException | RuntimeException e) {
            if (modem != null) {
                modem.close();
            }
            sim.close();
            throw e;
        }
    }

    /** The echo server's port on 127.0.0.1 (errors about a socket name it). */
    public int echoPort() {
        return echo.port();
    }

    /** A new socket through the modem to the echo server. */
    public Socket echoSocket() throws IOException {
        return modem.socketFactory().createSocket("localhost", echoPort());
    }

    /** The modem is READY again (60 s at most) and a fresh socket echoes 20,000 bytes, SHA-256 checked. */
    public void assertWorksAgain() throws Exception {
        modem.awaitReady(Duration.ofSeconds(60));
        try (Socket s = echoSocket()) {
            EchoCheck.run(s, 20_000, 99, Duration.ofSeconds(30));
        }
    }

    /**
     * The peer closes the first of two echo sockets while the second moves 200,000 bytes: the first reads end of
     * stream, the second finishes byte-exact, and the modem stays READY. {@code firstId} is the modem's id of the first
     * socket it opens (0 on most modems, 1 for a NINA-W's first peer handle).
     */
    public void assertRemoteCloseEndsOnlyItsSocket(int firstId) throws Exception {
        try (Socket victim = echoSocket();
             Socket survivor = echoSocket()) {
            victim.setSoTimeout(20_000);
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                try {
                    EchoCheck.run(survivor, 200_000, 5, Duration.ofMinutes(1));
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            });
            Thread.sleep(200);
            sim.faults().remoteClose(firstId);
            assertEquals(-1, victim.getInputStream().read(), "end of stream after a remote close");
            traffic.get(2, TimeUnit.MINUTES);
        }
        assertEquals(ModemState.READY, modem.state());
    }

    @Override
    public void close() throws IOException {
        try {
            modem.close();
        } finally {
            try {
                sim.close();
            } finally {
                echo.close();
            }
        }
    }
}
