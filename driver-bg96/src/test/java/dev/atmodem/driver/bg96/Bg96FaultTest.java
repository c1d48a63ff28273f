package dev.atmodem.driver.bg96;

import dev.atmodem.testkit.FaultRig;
import dev.atmodem.testkit.contract.CellularFaultContract;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault the simulator can inject, against the BG96 driver: the testkit's cellular fault contract (restart, bearer
 * loss, remote close, refused sends, 30 s of silence, a CME error on {@code AT+QIOPEN}, a restart during a
 * recovery, sockets opened while recovering).
 */
class Bg96FaultTest extends CellularFaultContract {

    Bg96FaultTest() {
        super(new Profile("BG96",
                () -> ModemSimulator.builder("bg96").baud(0).pin("1234").fragmentation(1, 64).seed(7).build(),
                Bg96Fixture::open, "AT\\+QIOPEN=.*", Duration.ofSeconds(30), 25));
    }

    @Override
    protected void assertDataConnectionUp(FaultRig rig) throws Exception {
        assertTrue(rig.modem.execute("AT+QIACT?").value("+QIACT:").startsWith("1,1"), "context 1 active");
    }
}
