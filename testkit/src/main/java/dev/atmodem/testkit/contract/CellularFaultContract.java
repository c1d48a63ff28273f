package dev.atmodem.testkit.contract;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.EchoCheck;
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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults every cellular driver must survive, written once and run once per driver: a restart, a bearer loss, a
 * remote close, a burst of refused sends, a long silence, a CME error on the connect command, a restart during the
 * recovery from a bearer loss, and sockets opened during a recovery. Each ends the way a fault must: no hang beyond the
 * configured timeouts, no byte lost or duplicated on sockets that stay open, a clear exception on sockets that die, and
 * a working modem afterwards ({@link FaultRig#assertWorksAgain()}). Each test gets a fresh simulator and modem; a
 * subclass adds the faults only its modem has, using {@link #rig()}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class CellularFaultContract {

    /**
     * How a driver meets the faults.
     *
     * @param model          the model's name, as printed figures show it
     * @param simulator      a new, unpaced simulator of the modem
     * @param opener         opens the modem with the driver's test options (recovery on)
     * @param connectCommand a regular expression for the driver's connect command, which gets the CME error
     * @param silence        how long the modem goes silent: longer than the driver's data timeout, so that a blocked
     *                       reader must be failed by the engine before the modem answers again
     * @param refusedSends   how many sends in a row the modem refuses
     */
    public record Profile(String model, Supplier<ModemSimulator> simulator, FaultRig.Opener opener,
                             String connectCommand, Duration silence, int refusedSends) {
    }

    private final Profile profile;
    private FaultRig rig;

    protected CellularFaultContract(Profile profile) {
        this.profile = profile;
    }

    /** The simulator, driver and echo server of the running test. */
    protected final FaultRig rig() {
        return rig;
    }

    @BeforeEach
    final void openRig() throws Exception {
        rig = FaultRig.open(profile.simulator().get(), profile.opener());
    }

    @AfterEach
    final void closeRig() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    /** Checks that the data connection is up (the PDP context active, an address assigned). */
    protected abstract void assertDataConnectionUp(FaultRig rig) throws Exception;

    /**
     * Between a recovery that looks finished and the closing check of {@link #aFaultDuringRecoveryIsNotLost}: a modem
     * that announces no restart can only notice one with its next command, which this may send.
     */
    protected void afterRecoveryFaults(FaultRig rig) throws Exception {
    }

    /** Checks after the refused sends were ridden out, such as that every refused chunk was sent again. */
    protected void afterRefusedSends(ModemSimulator sim, int refused) {
    }

    @Test
    void rebootFailsOpenSocketsAndTheModemComesBack() throws Exception {
        faultFailsABlockedReaderAndTheModemComesBack(() -> rig.sim.faults().reboot(), "restarted");
    }

    @Test
    void bearerLossFailsOpenSocketsAndTheDataConnectionComesBack() throws Exception {
        faultFailsABlockedReaderAndTheModemComesBack(() -> rig.sim.faults().bearerLoss(), "data connection dropped");
    }

    /** A reader blocked on a socket is failed by {@code fault} with {@code reason}; the supervisor recovers. */
    private void faultFailsABlockedReaderAndTheModemComesBack(Runnable fault, String reason) throws Exception {
        List<String> states = rig.watch.transitions();
        Socket s = rig.echoSocket();
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        fault.run();
        IOException e = reader.get(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        rig.watch.awaitTransition("READY->RECOVERING", 1); // the socket can fail before the supervisor hears of it
        rig.assertWorksAgain();
        assertTrue(states.contains("READY->RECOVERING") && states.contains("RECOVERING->READY"), states.toString());
        s.close();
    }

    @Test
    void remoteCloseEndsOneSocketAndLeavesTheOtherByteExact() throws Exception {
        rig.assertRemoteCloseEndsOnlyItsSocket(0); // a fresh modem gives its first socket id 0
    }

    /** The engine backs off 20 ms doubling to 1 s between refused sends, so a dozen take several seconds. */
    @Test
    void aBurstOfRefusedSendsIsRiddenOutByteExact() throws Exception {
        try (Socket s = rig.echoSocket()) {
            rig.sim.faults().failNextSends(profile.refusedSends());
            EchoCheck.run(s, 100_000, 6, Duration.ofMinutes(1));
        }
        afterRefusedSends(rig.sim, profile.refusedSends());
        assertEquals(ModemState.READY, rig.modem.state());
    }

    @Test
    void aLongSilenceFailsTheSocketsWithinTheTimeoutsAndTheModemRecovers() throws Exception {
        Socket s = rig.echoSocket();
        // no SO_TIMEOUT: only the engine can end it
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        long t0 = System.nanoTime();
        rig.sim.faults().silence(profile.silence().toMillis());
        IOException e = reader.get(profile.silence().toSeconds() + 10, TimeUnit.SECONDS);
        long failedAfter = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(e.getMessage().contains("stopped answering") || e.getMessage().contains("no answer")
                || e.getMessage().contains("did not answer"), e.getMessage());
        System.out.println(profile.model() + " silence of " + profile.silence().toSeconds() + " s: the blocked socket"
                + " failed after " + failedAfter + " s: " + e.getMessage());
        rig.watch.awaitTransition("RECOVERING->READY", 1); // the modem is brought back by itself once it answers
        rig.assertWorksAgain();
        s.close();
    }

    @Test
    void aCmeErrorFailsOnlyTheCommandItHitsWithItsMeaning() throws Exception {
        rig.sim.faults().cmeErrorOnNext(profile.connectCommand(), 3);
        ModemException e = assertThrows(ModemException.class, () -> rig.echoSocket());
        assertTrue(e.getMessage().contains("localhost:" + rig.echoPort())
                && e.getMessage().toLowerCase(Locale.ROOT).contains("operation not allowed"), e.getMessage());
        assertEquals(ModemState.READY, rig.modem.state());
        rig.assertWorksAgain();
    }

    /** A restart while the recovery from a bearer loss is still in its AT probes is not taken for the first fault. */
    @Test
    void aFaultDuringRecoveryIsNotLost() throws Exception {
        rig.sim.faults().bearerLoss();
        rig.watch.awaitTransition("READY->RECOVERING", 1);
        rig.sim.faults().silence(1_500); // hold the first recovery in its AT probes ...
        rig.sim.faults().reboot(); // ... while the modem reboots under it
        rig.watch.awaitStableReady();
        afterRecoveryFaults(rig);
        rig.assertWorksAgain();
        assertDataConnectionUp(rig);
    }

    @Test
    void socketsOpenedWhileRecoveringAreRefusedClearly() throws Exception {
        Modem modem = rig.modem;
        CompletableFuture<Void> recovering = new CompletableFuture<>();
        modem.addListener((from, to, why) -> {
            if (to == ModemState.RECOVERING) {
                recovering.complete(null);
            }
        });
        rig.sim.faults().bearerLoss();
        recovering.get(10, TimeUnit.SECONDS);
        ModemException e = assertThrows(ModemException.class, () -> rig.echoSocket());
        assertTrue(e.getMessage().contains("cannot open a socket") && e.getMessage().contains("data connection"),
                e.getMessage());
        rig.assertWorksAgain();
    }
}
