package dev.atmodem.driver.bg96;

import dev.atmodem.testkit.contract.CellularSocketContract;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.time.Duration;

/** The shared socket scenarios of the testkit, on the BG96 driver and simulator. */
class Bg96SocketContractTest extends CellularSocketContract {

    Bg96SocketContractTest() {
        super("BG96", 12, Duration.ofMinutes(4),
                baud -> ModemSimulator.builder("bg96").baud(baud).pin("1234").fragmentation(1, 64).seed(42).build(),
                Bg96Fixture::open);
    }
}
