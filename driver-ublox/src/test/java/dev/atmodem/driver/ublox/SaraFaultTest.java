package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.FaultRig;
import dev.atmodem.testkit.ModemWatch;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.AfterEach;
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
 * Every fault the simulator can inject, against the SARA driver (the sara-r4 dialect; reboot and bearer loss also on
 * sara-r5): no hang beyond the configured timeouts, no byte lost or duplicated on sockets that stay open, a clear
 * exception on sockets that die, and a working modem afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SaraFaultTest {

    private FaultRig rig;
    private ModemSimulator sim;
    private Modem modem;
    private ModemWatch watch;
    private List<String> states;

    private void start(String dialect) throws Exception {
        rig = FaultRig.open(UbloxFixture.sim(dialect, 0, 7), UbloxFixture::open);
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

    private void rebootFailsOpenSocketsAndTheModemComesBack(String dialect) throws Exception {
        start(dialect);
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
    void r4RebootFailsOpenSocketsAndTheModemComesBack() throws Exception {
        rebootFailsOpenSocketsAndTheModemComesBack(UbloxFixture.R4);
    }

    @Test
    void r5RebootFailsOpenSocketsAndTheModemComesBack() throws Exception {
        rebootFailsOpenSocketsAndTheModemComesBack(UbloxFixture.R5);
    }

    /**
     * Found by the resource-hygiene soak: a second restart soon after the first was recovered from was taken for the
     * first one's chatter, and the modem stayed unusable (every command ERROR, no recovery) for good.
     */
    @Test
    void aSecondRestartSoonAfterARecoveryIsRecoveredFromToo() throws Exception {
        start(UbloxFixture.R4);
        for (int round = 1; round <= 2; round++) {
            sim.faults().reboot();
            // no banner: the next socket command finds the restart
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (states.stream().filter("RECOVERING->READY"::equals).count() < round && System.nanoTime() < until) {
                try {
                    modem.awaitReady(Duration.ofSeconds(10));
                    rig.echoSocket().close();
                } catch (IOException e) {
                    Thread.sleep(20);   // expected until the restart is found
                }
            }
            watch.awaitTransition("RECOVERING->READY", round);
            rig.assertWorksAgain();
        }
    }

    private void bearerLossFailsOpenSocketsAndTheDataConnectionComesBack(String dialect) throws Exception {
        start(dialect);
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
    void r4BearerLossFailsOpenSocketsAndTheDataConnectionComesBack() throws Exception {
        bearerLossFailsOpenSocketsAndTheDataConnectionComesBack(UbloxFixture.R4);
    }

    @Test
    void r5BearerLossFailsOpenSocketsAndTheDataConnectionComesBack() throws Exception {
        bearerLossFailsOpenSocketsAndTheDataConnectionComesBack(UbloxFixture.R5);
    }

    @Test
    void remoteCloseEndsOneSocketAndLeavesTheOtherByteExact() throws Exception {
        start(UbloxFixture.R4);
        try (Socket victim = rig.echoSocket();
             Socket survivor = rig.echoSocket()) {
            victim.setSoTimeout(20_000);
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                try {
                    UbloxFixture.echo(survivor, 100_000, 5, Duration.ofMinutes(1));
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            });
            Thread.sleep(200);
            sim.faults().remoteClose(0); // the module assigned 0 to the first socket of a fresh modem
            assertEquals(-1, victim.getInputStream().read(), "end of stream after a remote close");
            traffic.get(2, TimeUnit.MINUTES);
        }
        assertEquals(ModemState.READY, modem.state());
    }

    @Test
    void aWriteRefusalBurstIsRiddenOutByteExact() throws Exception {
        start(UbloxFixture.R4);
        try (Socket s = rig.echoSocket()) {
            // 12 refusals in a row: the engine's back-off (20 ms doubling to 1 s) rides them out in about 7 s
            sim.faults().failNextSends(12);
            UbloxFixture.echo(s, 100_000, 6, Duration.ofMinutes(1));
        }
        assertEquals(ModemState.READY, modem.state());
    }

    @Test
    void fifteenSecondsOfSilenceFailTheSocketsWithinTheTimeoutsAndTheModemRecovers() throws Exception {
        start(UbloxFixture.R4);
        Socket s = rig.echoSocket();
        // no SO_TIMEOUT: only the engine can end it
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        long t0 = System.nanoTime();
        sim.faults().silence(15_000); // longer than the 10 s data timeout, so the socket must fail first
        IOException e = reader.get(25, TimeUnit.SECONDS);
        long failedAfter = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(e.getMessage().contains("stopped answering") || e.getMessage().contains("no answer")
                || e.getMessage().contains("did not answer"), e.getMessage());
        System.out.println("SARA-R4 silence: the blocked socket failed after " + failedAfter + " s: "
                + e.getMessage());
        watch.awaitTransition("RECOVERING->READY", 1);
        rig.assertWorksAgain();
        s.close();
    }

    @Test
    void aCmeErrorFailsOnlyTheCommandItHitsWithItsMeaning() throws Exception {
        start(UbloxFixture.R4);
        sim.faults().cmeErrorOnNext("AT\\+USOCO=.*", 3);
        ModemException e = assertThrows(ModemException.class,
                () -> rig.echoSocket());
        assertTrue(e.getMessage().contains("localhost:" + rig.echoPort())
                && e.getMessage().toLowerCase().contains("operation not allowed"), e.getMessage());
        assertEquals(ModemState.READY, modem.state());
        rig.assertWorksAgain();
    }

    /**
     * A bearer loss, then a restart while the modem is silent. A SARA announces no restart (AT-REFERENCE names no
     * power-on URC; the dialect sends none): if the restart lands after the recovery finished, nothing can notice it
     * until the next command fails; that failure must say so and bring the modem back.
     */
    @Test
    void aFaultDuringRecoveryIsNotLost() throws Exception {
        start(UbloxFixture.R4);
        sim.faults().bearerLoss();
        watch.awaitTransition("READY->RECOVERING", 1);
        sim.faults().silence(1_500);
        sim.faults().reboot();
        watch.awaitStableReady();
        try (Socket s = rig.echoSocket()) {
            UbloxFixture.echo(s, 20_000, 98, Duration.ofSeconds(30));
        } catch (ModemException e) {
            assertTrue(e.getMessage().contains("restarted"), e.getMessage());
            watch.awaitTransition("RECOVERING->READY", 2);
        }
        rig.assertWorksAgain();
        assertTrue(modem.execute("AT+CGACT?").texts().stream().anyMatch(l -> l.replace(" ", "").equals("+CGACT:1,1")),
                "context active after both faults");
    }

    /** A silent restart with nothing running is found by the next command, which says so. */
    @Test
    void aSilentRestartIsFoundByTheNextCommandAndTheModemComesBack() throws Exception {
        start(UbloxFixture.R4);
        sim.faults().reboot();
        Thread.sleep(300);
        ModemException e = assertThrows(ModemException.class,
                () -> rig.echoSocket());
        assertTrue(e.getMessage().contains("restarted"), e.getMessage());
        watch.awaitTransition("RECOVERING->READY", 1);
        rig.assertWorksAgain();
    }

    @Test
    void socketsOpenedWhileRecoveringAreRefusedClearly() throws Exception {
        start(UbloxFixture.R4);
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
