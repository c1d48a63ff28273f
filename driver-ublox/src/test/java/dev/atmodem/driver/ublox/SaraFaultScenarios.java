package dev.atmodem.driver.ublox;

import dev.atmodem.ModemException;
import dev.atmodem.testkit.FaultRig;
import dev.atmodem.testkit.contract.CellularFaultContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault the simulator can inject, against the SARA driver: the testkit's cellular fault contract
 * (restart, bearer loss, remote close, refused writes, 15 s of silence, longer than the 10 s data timeout, a CME error
 * on {@code AT+USOCO}, a restart during a recovery, sockets opened while recovering), and the SARA's own: restarts
 * it does not announce. Run on a SARA-R4 by {@link SaraFaultTest} and on a SARA-R5 by {@link SaraR5FaultTest}.
 */
abstract class SaraFaultScenarios extends CellularFaultContract {

    SaraFaultScenarios(String dialect) {
        super(new Profile(dialect.toUpperCase(java.util.Locale.ROOT), () -> UbloxFixture.sim(dialect, 0, 7),
                UbloxFixture::open, "AT\\+USOCO=.*", Duration.ofSeconds(15), 12));
    }

    /**
     * Found by the resource-hygiene soak: a second restart soon after the first was recovered from was taken for the
     * first one's chatter, and the modem stayed unusable (every command ERROR, no recovery) for good.
     */
    @Test
    void aSecondRestartSoonAfterARecoveryIsRecoveredFromToo() throws Exception {
        FaultRig rig = rig();
        for (int round = 1; round <= 2; round++) {
            rig.sim.faults().reboot();
            // no banner: the next socket command finds the restart
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (recoveries(rig) < round && System.nanoTime() < until) {
                try {
                    rig.modem.awaitReady(Duration.ofSeconds(10));
                    rig.echoSocket().close();
                } catch (IOException e) {
                    Thread.sleep(20);   // expected until the restart is found
                }
            }
            rig.watch.awaitTransition("RECOVERING->READY", round);
            rig.assertWorksAgain();
        }
    }

    /**
     * A SARA announces no restart (AT-REFERENCE names no power-on URC; the dialect sends none): if the restart of
     * {@code aFaultDuringRecoveryIsNotLost} lands after the recovery finished, nothing can notice it until the next
     * command fails; that failure must say so and bring the modem back.
     */
    @Override
    protected void afterRecoveryFaults(FaultRig rig) throws Exception {
        try (Socket s = rig.echoSocket()) {
            UbloxFixture.echo(s, 20_000, 98, Duration.ofSeconds(30));
        } catch (ModemException e) {
            assertTrue(e.getMessage().contains("restarted"), e.getMessage());
            rig.watch.awaitTransition("RECOVERING->READY", 2);
        }
    }

    @Override
    protected void assertDataConnectionUp(FaultRig rig) throws Exception {
        assertTrue(rig.modem.execute("AT+CGACT?").texts().stream()
                .anyMatch(l -> l.replace(" ", "").equals("+CGACT:1,1")), "context 1 active");
    }

    /** A silent restart with nothing running is found by the next command, which says so. */
    @Test
    void aSilentRestartIsFoundByTheNextCommandAndTheModemComesBack() throws Exception {
        FaultRig rig = rig();
        rig.sim.faults().reboot();
        Thread.sleep(300);
        ModemException e = assertThrows(ModemException.class,
                () -> rig.echoSocket());
        assertTrue(e.getMessage().contains("restarted"), e.getMessage());
        rig.watch.awaitTransition("RECOVERING->READY", 1);
        rig.assertWorksAgain();
    }

    private static long recoveries(FaultRig rig) {
        return rig.watch.transitions().stream().filter("RECOVERING->READY"::equals).count();
    }
}
