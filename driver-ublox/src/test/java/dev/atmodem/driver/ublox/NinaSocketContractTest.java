package dev.atmodem.driver.ublox;

import dev.atmodem.testkit.contract.SocketContract;

import java.time.Duration;

/**
 * The shared socket scenarios of the testkit, on the NINA-W driver and simulator: data in EDM frames of at most 635
 * bytes, the 7 peers sharing one paced line.
 */
class NinaSocketContractTest extends SocketContract {

    NinaSocketContractTest() {
        super("NINA-W", 7, Duration.ofMinutes(8), baud -> UbloxFixture.wifiSim(UbloxFixture.NINA, baud, 42),
                UbloxFixture::openWifi);
    }
}
