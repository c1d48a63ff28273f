package dev.atmodem.driver.bg96;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.FaultRig;
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

    private FaultRig rig;
    private ModemSimulator sim;
    private Modem modem;
    private ModemWatch watch;
    private List<String> states;

    @BeforeEach
    void setUp() throws Exception {
        rig = FaultRig.open(ModemSimulator.builder("bg96").baud(0).pin("1234").fragmentation(1, 64).seed(7).build(),
                Bg96Fixture::open);
        sim = rig.sim;
        modem = rig.modem;
        watch = rig.watch;
        states = watch.transitions();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void rebootFailsOpenSocketsAndTheModemComesBack() throws Exception {
        Socket s = rig.echoSocket();
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        sim.faults().reboot();
        IOException e = reader.get(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("restarted"), e.getMessage());
        rig.assertWorksAgain();
        assertTrue(states.contains("READY->RECOVERING") && states.contains("RECOVERING->READY"), states.toString());
        s.close();
    }

    @Test
    void bearerLossFailsOpenSocketsAndTheDataConnectionComesBack() throws Exception {
        Socket s = rig.echoSocket();
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        sim.faults().bearerLoss();
        IOException e = reader.get(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("data connection dropped"), e.getMessage());
        rig.assertWorksAgain();
        assertTrue(states.contains("RECOVERING->READY"), states.toString());
        s.close();
    }

    @Test
    void remoteCloseEndsOneSocketAndLeavesTheOtherByteExact() throws Exception {
        try (Socket victim = rig.echoSocket();
             Socket survivor = rig.echoSocket()) {
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
        try (Socket s = rig.echoSocket()) {
            sim.faults().failNextSends(25);
            Bg96Fixture.echo(s, 100_000, 6, Duration.ofMinutes(1));
        }
        assertEquals(ModemState.READY, modem.state());
    }

    @Test
    void thirtySecondsOfSilenceFailTheSocketsWithinTheTimeoutsAndTheModemRecovers() throws Exception {
        Socket s = rig.echoSocket();
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
        rig.assertWorksAgain();
        s.close();
    }

    @Test
    void aCmeErrorFailsOnlyTheCommandItHitsWithItsMeaning() throws Exception {
        sim.faults().cmeErrorOnNext("AT\\+QIOPEN=.*", 3);
        ModemException e = assertThrows(ModemException.class,
                () -> rig.echoSocket());
        assertTrue(e.getMessage().contains("localhost:" + rig.echoPort())
                && e.getMessage().contains("operation not allowed"), e.getMessage());
        assertEquals(ModemState.READY, modem.state());
        rig.assertWorksAgain();
    }

    @Test
    void aFaultDuringRecoveryIsNotLost() throws Exception {
        sim.faults().bearerLoss();
        watch.awaitTransition("READY->RECOVERING", 1);
        sim.faults().silence(1_500); // hold the first recovery in its AT probes ...
        sim.faults().reboot(); // ... while the modem reboots under it
        watch.awaitStableReady();
        rig.assertWorksAgain();
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
                () -> rig.echoSocket());
        assertTrue(e.getMessage().contains("cannot open a socket") && e.getMessage().contains("data connection"),
                e.getMessage());
        rig.assertWorksAgain();
    }
}
