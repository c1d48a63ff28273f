package dev.atmodem.testkit.sim.sim800;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.junit.SimulatedModem;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Test;

/** The JUnit extension serves the sim800 dialect like any other (the way driver tests use it). */
@SimulatedModem(dialect = "sim800", baud = 0, names = "mqtt.test=127.0.0.1")
class Sim800ExtensionTest {

    @Test
    void injectsAPoweredOnSim800(ModemSimulator sim, RawHost host) throws Exception {
        assertEquals("sim800", sim.dialectName());
        host.expect(Sim800TestBase.BANNER);
        host.command("AT+CGMM\r", "AT+CGMM\r\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");
        host.command("AT+CDNSGIP=\"mqtt.test\"\r", "\r\nOK\r\n\r\n+CDNSGIP: 1,\"mqtt.test\",\"127.0.0.1\"\r\n");
        assertEquals(1, sim.stats().commandCount("AT+CIICR"));
        assertEquals(1, sim.stats().commandCount("AT+CIFSR"));
    }

    @Test
    @SimulatedModem(dialect = "sim800", pin = "1234")
    void pinLockedSim(RawHost host) throws Exception {
        host.expect("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n");
        host.command("AT+CPIN=1234\r",
                "AT+CPIN=1234\r\r\nOK\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n");
    }
}
