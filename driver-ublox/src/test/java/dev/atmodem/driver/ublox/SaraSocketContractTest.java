package dev.atmodem.driver.ublox;

import dev.atmodem.testkit.contract.CellularSocketContract;

import java.time.Duration;

/**
 * The shared socket scenarios of the testkit, on the SARA driver and the SARA-R4 simulator. Each AT+USOWR carries at
 * most 1024 bytes and waits 50 ms after its {@code @} prompt (the manual's figure), so the 1 MiB echo's send side is
 * bounded near 15-20 KB/s whatever the baud rate.
 */
class SaraSocketContractTest extends CellularSocketContract {

    SaraSocketContractTest() {
        super("SARA-R4", 7, Duration.ofMinutes(8), baud -> UbloxFixture.sim(UbloxFixture.R4, baud, 42),
                UbloxFixture::open);
    }
}
