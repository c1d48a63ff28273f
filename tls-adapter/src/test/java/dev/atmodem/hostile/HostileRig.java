package dev.atmodem.hostile;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.EchoCheck;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.hostile.HostileModem;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * One driver row of the hostile-input tests: the row's simulator behind a {@link HostileModem}, the real driver over
 * it, and an echo server the simulator reaches as {@code echo.test}. Short polling and command timeouts, so a hostile
 * answer costs seconds, not minutes.
 */
final class HostileRig implements AutoCloseable {

    final ModemSimulator sim;
    final HostileModem hostile;
    final Modem modem;
    private final LoopbackPeer echo;

    private HostileRig(ModemSimulator sim, HostileModem hostile, Modem modem, LoopbackPeer echo) {
        this.sim = sim;
        this.hostile = hostile;
        this.modem = modem;
        this.echo = echo;
    }

    /** Opens row {@code d} with a command timeout and any further options the test needs. */
    static HostileRig open(DriverCase d, Duration commandTimeout, UnaryOperator<ModemOptions> more) throws IOException {
        LoopbackPeer echo = LoopbackPeer.echo();
        ModemSimulator sim = ModemSimulator.builder(d.dialect()).seed(5).build();
        sim.names().put("echo.test", "127.0.0.1");
        HostileModem hostile = HostileModem.over(sim);
        try {
            Modem modem = Modem.open(hostile.hostLink(), more.apply(d.baseOptions()
                    .withPolling(Duration.ofMillis(100), Duration.ofMillis(500))
                    .withCommandTimeout(commandTimeout).withWriteTimeout(Duration.ofSeconds(20))));
            if (!d.driver().equals(modem.driverName())) {
                modem.close();
                throw new AssertionError(d + " was driven by " + modem.driverName() + ", not " + d.driver());
            }
            return new HostileRig(sim, hostile, modem, echo);
        } catch (IOException | RuntimeException | Error e) {
            hostile.close();
            echo.close();
            throw e;
        }
    }

    /** A fresh socket moves 4 KiB both ways through the modem, SHA-256 checked: nothing hostile reached it. */
    void assertEchoWorks() throws Exception {
        try (Socket s = modem.socketFactory().createSocket("echo.test", echo.port())) {
            EchoCheck.run(s, 4096, 3, Duration.ofSeconds(30));
        }
    }

    /** A socket to the echo server, for tests that drive one themselves. */
    Socket echoSocket() throws IOException {
        return modem.socketFactory().createSocket("echo.test", echo.port());
    }

    /** Bytes allocated so far by this modem's AT reader thread (HotSpot's per-thread allocation counter). */
    long readerAllocated() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("atmodem-reader ") && t.getName().contains(sim.toString())) {
                return mx.getThreadAllocatedBytes(t.getId());
            }
        }
        throw new AssertionError("no AT reader thread for " + sim);
    }

    @Override
    public void close() throws IOException {
        try {
            modem.close();
        } finally {
            try {
                hostile.close();
            } finally {
                echo.close();
            }
        }
    }
}
