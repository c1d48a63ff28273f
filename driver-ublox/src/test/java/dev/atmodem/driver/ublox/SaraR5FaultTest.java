package dev.atmodem.driver.ublox;

import dev.atmodem.testkit.contract.CellularFaultContract;

/** The testkit's cellular fault contract on a SARA-R5 (AT+UPSD/UPSDA bring-up, the R5's restart and error texts). */
class SaraR5FaultTest extends CellularFaultContract {

    SaraR5FaultTest() {
        super(SaraFaultTest.profile(UbloxFixture.R5));
    }
}
