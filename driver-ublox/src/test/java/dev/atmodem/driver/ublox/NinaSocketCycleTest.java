package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.nina.NinaDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Opens, echoes and closes sockets back to back, unpaced: the module reuses the handle and the channel of the peer
 * just closed at once, so every cycle tests that the driver ties the next {@code +UUDPC} and connect event to the
 * new peer and never to the old one. Each connect must complete; a mis-tracked peer shows as a connect that waits
 * for its connect timeout. {@code -Datmodem.nina.cycles=N} runs more cycles (default 500, about 3 s).
 */
class NinaSocketCycleTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void manyOpenEchoCloseCyclesEachConnect() throws Exception {
        int cycles = Integer.getInteger("atmodem.nina.cycles", 500);
        try (ModemSimulator sim = UbloxFixture.wifiSim(UbloxFixture.NINA, 921_600, 7);
             LoopbackPeer echo = LoopbackPeer.echo();
             Modem modem = Modem.open(sim.connectPipe(),
                     UbloxFixture.wifiOptions().withConnectTimeout(Duration.ofSeconds(10)))) {
            for (int i = 0; i < cycles; i++) {
                try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                    UbloxFixture.echo(s, 64, i, Duration.ofSeconds(10));
                } catch (Exception e) {
                    throw new AssertionError("cycle " + i + " of " + cycles + ": " + e.getMessage(), e);
                }
            }
            // Socket.close() returns at once and the modem-side close runs on the event thread: the last one may still
            // be in flight. A peer that was never released stays counted past the deadline and fails the test.
            int[] left = new int[1];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            do {
                sim.control(NinaDialect.class, d -> left[0] = d.peerCount());
                if (left[0] == 0) {
                    break;
                }
                Thread.sleep(20);
            } while (System.nanoTime() < deadline);
            assertEquals(0, left[0], "peers the module still holds 5 s after every socket was closed");
        }
    }
}
