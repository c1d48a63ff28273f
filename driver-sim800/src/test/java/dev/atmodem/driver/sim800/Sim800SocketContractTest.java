package dev.atmodem.driver.sim800;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.contract.CellularSocketContract;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.time.Duration;

/** The shared socket scenarios of the testkit, on the SIM800 driver and simulator. */
class Sim800SocketContractTest extends CellularSocketContract {

    Sim800SocketContractTest() {
        super("SIM800", 6, Duration.ofMinutes(8), baud -> Sim800Fixture.sim(baud, 42), Sim800Fixture::open);
    }

    @Override
    protected void afterBulkEcho(ModemSimulator sim) {
        assertTrue(sim.stats().commandCount("AT+CIPRXGET") > 0, "manual receive mode reads with AT+CIPRXGET=2");
    }
}
