package dev.atmodem.driver.bg96;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.ModemWatch;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault the simulator can inject, against the BG96 driver: no hang beyond the configured timeouts, no byte lost
 * or duplicated on sockets that stay open, a clear exception on sockets that die, and a working modem afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Bg96FaultTest {

    private ModemSimulator sim;
    private Modem modem;
    private LoopbackPeer echo;
    private ModemWatch watch;
    private List<String> states;

    @BeforeEach
    void setUp() throws Exception {
        sim = ModemSimulator.builder("bg96").baud(0).pin("1234").fragmentation(1, 64).seed(7).build();
        modem = Bg96Fixture.open(sim);
        watch = ModemWatch.of(modem);
        states = watch.transitions();
        echo = LoopbackPeer.echo();
    }

    @AfterEach
    void tearDown() throws Exception {
        modem.close();
        sim.close();
        echo.close();
    }

    private void assertWorksAgain() throws Exception {
        modem.awaitReady(Duration.ofSeconds(60));
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            Bg96Fixture.echo(s, 20_000, 99, Duration.ofSeconds(30));
        }
    }

    @Test
    void rebootFailsOpenSocketsAndTheModemComesBack() throws Exception {
        Socket s = modem.socketFactory().createSocket("localhost", echo.port());
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        sim.faults().reboot();
        IOException e = reader.get(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("restarted"), e.getMessage());
        assertWorksAgain();
        assertTrue(states.contains("READY->RECOVERING") && states.contains("RECOVERING->READY"), states.toString());
        s.close();
    }

    @Test
    void bearerLossFailsOpenSocketsAndTheDataConnectionComesBack() throws Exception {
        Socket s = modem.socketFactory().createSocket("localhost", echo.port());
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        sim.faults().bearerLoss();
        IOException e = reader.get(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("data connection dropped"), e.getMessage());
        assertWorksAgain();
        assertTrue(states.contains("RECOVERING->READY"), states.toString());
        s.close();
    }

    @Test
    void remoteCloseEndsOneSocketAndLeavesTheOtherByteExact() throws Exception {
        try (Socket victim = modem.socketFactory().createSocket("localhost", echo.port());
             Socket survivor = modem.socketFactory().createSocket("localhost", echo.port())) {
            victim.setSoTimeout(20_000);
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                try {
                    Bg96Fixture.echo(survivor, 200_000, 5, Duration.ofMinutes(1));
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            });
            Thread.sleep(200);
            sim.faults().remoteClose(0);
            assertEquals(-1, victim.getInputStream().read(), "end of stream after a remote close");
            traffic.get(2, TimeUnit.MINUTES);
        }
        assertEquals(ModemState.READY, modem.state());
    }

    @Test
    void aSendFailBurstIsRiddenOutByteExact() throws Exception {
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            sim.faults().failNextSends(25);
            Bg96Fixture.echo(s, 100_000, 6, Duration.ofMinutes(1));
        }
        assertEquals(ModemState.READY, modem.state());
    }

    @Test
    void thirtySecondsOfSilenceFailTheSocketsWithinTheTimeoutsAndTheModemRecovers() throws Exception {
        Socket s = modem.socketFactory().createSocket("localhost", echo.port());
        // no SO_TIMEOUT: only the engine can end it
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        long t0 = System.nanoTime();
        sim.faults().silence(30_000);
        IOException e = reader.get(40, TimeUnit.SECONDS);
        long failedAfter = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(e.getMessage().contains("stopped answering") || e.getMessage().contains("no answer")
                || e.getMessage().contains("did not answer"), e.getMessage());
        System.out.println("BG96 silence: the blocked socket failed after " + failedAfter + " s: " + e.getMessage());
        watch.awaitTransition("RECOVERING->READY", 1); // the modem is brought back by itself once it answers again
        assertWorksAgain();
        s.close();
    }

    @Test
    void aCmeErrorFailsOnlyTheCommandItHitsWithItsMeaning() throws Exception {
        sim.faults().cmeErrorOnNext("AT\\+QIOPEN=.*", 3);
        ModemException e = assertThrows(ModemException.class,
                () -> modem.socketFactory().createSocket("localhost", echo.port()));
        assertTrue(e.getMessage().contains("localhost:" + echo.port())
                && e.getMessage().contains("operation not allowed"), e.getMessage());
        assertEquals(ModemState.READY, modem.state());
        assertWorksAgain();
    }

    @Test
    void aFaultDuringRecoveryIsNotLost() throws Exception {
        sim.faults().bearerLoss();
        watch.awaitTransition("READY->RECOVERING", 1);
        sim.faults().silence(1_500); // hold the first recovery in its AT probes ...
        sim.faults().reboot(); // ... while the modem reboots under it
        watch.awaitStableReady();
        assertWorksAgain();
        assertTrue(modem.execute("AT+QIACT?").value("+QIACT:").startsWith("1,1"), "context active after both faults");
    }

    @Test
    void socketsOpenedWhileRecoveringAreRefusedClearly() throws Exception {
        CompletableFuture<Void> recovering = new CompletableFuture<>();
        modem.addListener((from, to, why) -> {
            if (to == ModemState.RECOVERING) {
                recovering.complete(null);
            }
        });
        sim.faults().bearerLoss();
        recovering.get(10, TimeUnit.SECONDS);
        ModemException e = assertThrows(ModemException.class,
                () -> modem.socketFactory().createSocket("localhost", echo.port()));
        assertTrue(e.getMessage().contains("cannot open a socket") && e.getMessage().contains("data connection"),
                e.getMessage());
        assertWorksAgain();
    }
}
