package dev.atmodem.driver.ublox;

/** The SARA fault scenarios, with the testkit's cellular fault contract, on a SARA-R4. */
class SaraFaultTest extends SaraFaultScenarios {

    SaraFaultTest() {
        super(UbloxFixture.R4);
    }
}
