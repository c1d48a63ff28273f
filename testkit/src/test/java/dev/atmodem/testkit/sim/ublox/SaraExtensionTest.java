package dev.atmodem.testkit.sim.ublox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.junit.SimulatedModem;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Test;

/** The JUnit extension serves the SARA dialects like any other (the way driver tests use them). */
@SimulatedModem(dialect = "sara-r5", baud = 0, names = "mqtt.test=127.0.0.2")
class SaraExtensionTest {

    @Test
    void injectsAPoweredOnSaraR5(ModemSimulator sim, RawHost host) throws Exception {
        assertEquals("sara-r5", sim.dialectName());
        host.command("AT+CGMM\r", "AT+CGMM\r\r\nSARA-R510S\r\n\r\nOK\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+UPSDA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUPSDA: 0,\"10.0.0.2\"\r\n");
        host.command("AT+UDNSRN=0,\"mqtt.test\"\r", "\r\n+UDNSRN: \"127.0.0.2\"\r\n\r\nOK\r\n");
        assertEquals(1, sim.stats().commandCount("AT+UPSDA"));
    }

    @Test
    @SimulatedModem(dialect = "sara-r4", pin = "1234")
    void pinLockedSaraR4(RawHost host) throws Exception {
        host.command("AT+CPIN?\r", "AT+CPIN?\r\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
        host.command("AT+CPIN=\"1234\"\r", "AT+CPIN=\"1234\"\r\r\nOK\r\n");
        host.command("AT+CGACT?\r", "AT+CGACT?\r\r\n+CGACT: 1,1\r\n\r\nOK\r\n");
    }
}
