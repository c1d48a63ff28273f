package dev.atmodem.driver.ublox;

/** The SARA fault scenarios, with the testkit's cellular fault contract, on a SARA-R5 (AT+UPSD/UPSDA bring-up). */
class SaraR5FaultTest extends SaraFaultScenarios {

    SaraR5FaultTest() {
        super(UbloxFixture.R5);
    }
}
