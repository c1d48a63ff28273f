package dev.atmodem.testkit.sim.sim800;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.sim.Dialects;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.SimOptions;
import org.junit.jupiter.api.Test;

/** Bring-up and information commands, byte for byte against AT-REFERENCE §0/§2A and QUIRKS 1. */
class Sim800BasicCommandsTest extends Sim800TestBase {

    @Test
    void registeredUnderItsName() {
        assertTrue(Dialects.names().contains("sim800"));
        assertEquals("sim800", Dialects.create("SIM800").name());
    }

    @Test
    void powerOnBannerThenEchoOnUntilAte0() throws Exception {
        start(ModemSimulator.builder("sim800"));
        host.expect(BANNER);
        host.command("AT\r", "AT\r\r\nOK\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");      // ATE0 itself is echoed
        host.command("AT\r", "\r\nOK\r\n");
        host.command("ATE1\r", "\r\nOK\r\n");
        host.command("AT\r", "AT\r\r\nOK\r\n");
    }

    @Test
    void aBootingModemIgnoresCommandsUntilTheBannerEnds() throws Exception {
        start(ModemSimulator.builder("sim800").options(SimOptions.defaults().withBootMillis(300)));
        host.expect("\r\nRDY\r\n");
        host.send("AT+CGMM\r");                                     // too early: lost
        host.expect("\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n");
        host.command("AT\r", "AT\r\r\nOK\r\n");                      // no answer to the lost command first
    }

    @Test
    void identification() throws Exception {
        ready();
        host.command("ATI\r", "\r\nSIM800 R14.18\r\n\r\nOK\r\n");
        host.command("AT+CGMI\r", "\r\nSIMCOM_Ltd\r\n\r\nOK\r\n");
        host.command("AT+CGMM\r", "\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n");
        host.command("AT+CGMR\r", "\r\nRevision:1418B04SIM800L24\r\n\r\nOK\r\n");
        host.command("AT+CGSN\r", "\r\n865067020000001\r\n\r\nOK\r\n");
    }

    @Test
    void unknownCommandIsPlainErrorInEveryCmeeMode() throws Exception {
        ready();
        host.command("AT+QIACT=1\r", "\r\nERROR\r\n");     // a Quectel command: not a SIM800 one
        host.command("AT+CEREG?\r", "\r\nERROR\r\n");      // 2G modem: no EPS registration
        host.command("AT+CIPSPRT=0\r", "\r\nERROR\r\n");   // prompt settings are not simulated
        host.command("ATV0\r", "\r\nERROR\r\n");          // nor numeric result codes
        host.command("ATV1\r", "\r\nOK\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+NOSUCH\r", "\r\nERROR\r\n");
    }

    @Test
    void cmeeModesFormatErrors() throws Exception {
        ready();
        host.command("AT+CMEE?\r", "\r\n+CMEE: 0\r\n\r\nOK\r\n");           // power-on default
        host.command("AT+CPIN=\"1234\"\r", "\r\nERROR\r\n");
        host.command("AT+CMEE=1\r", "\r\nOK\r\n");
        host.command("AT+CPIN=\"1234\"\r", "\r\n+CME ERROR: 3\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+CPIN=\"1234\"\r", "\r\n+CME ERROR: operation not allowed\r\n");
        host.command("AT+CMEE?\r", "\r\n+CMEE: 2\r\n\r\nOK\r\n");
        host.command("AT+CMEE=3\r", "\r\nERROR\r\n");
    }

    @Test
    void pinLockHoldsTheReadyUrcsUntilUnlocked() throws Exception {
        start(ModemSimulator.builder("sim800").pin("4321"));
        host.expect("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+CPIN?\r", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 0,0\r\n\r\nOK\r\n");
        host.command("AT+CPIN=\"0000\"\r", "\r\n+CME ERROR: incorrect password\r\n");
        host.command("AT+CPIN=\"4321\"\r",
                "\r\nOK\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n");
        host.command("AT+CPIN?\r", "\r\n+CPIN: READY\r\n\r\nOK\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 0,1\r\n\r\nOK\r\n");
    }

    @Test
    void signalRegistrationOperator() throws Exception {
        ready();
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 0,1\r\n\r\nOK\r\n");
        host.command("AT+CGREG?\r", "\r\n+CGREG: 0,1\r\n\r\nOK\r\n");
        host.command("AT+CGATT?\r", "\r\n+CGATT: 1\r\n\r\nOK\r\n");
        host.command("AT+COPS?\r", "\r\n+COPS: 0,0,\"Simulated Operator\"\r\n\r\nOK\r\n");
        host.command("AT+COPS=3,2\r", "\r\nOK\r\n");
        host.command("AT+COPS?\r", "\r\n+COPS: 0,2,\"00101\"\r\n\r\nOK\r\n");
        sim.control(Sim800Dialect.class, d -> d.signal(7, 3));
        host.command("AT+CSQ\r", "\r\n+CSQ: 7,3\r\n\r\nOK\r\n");
    }

    @Test
    void registrationUrcsWhenEnabled() throws Exception {
        ready();
        host.command("AT+CREG=1\r", "\r\nOK\r\n");
        sim.control(Sim800Dialect.class, d -> d.registration(2));
        host.expect("\r\n+CREG: 2\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 1,2\r\n\r\nOK\r\n");
        host.command("AT+COPS?\r", "\r\n+COPS: 0\r\n\r\nOK\r\n");
    }

    @Test
    void radioOffAndOn() throws Exception {
        ready();
        host.command("AT+CFUN?\r", "\r\n+CFUN: 1\r\n\r\nOK\r\n");
        host.command("AT+CFUN=0\r", "\r\nOK\r\n");
        host.command("AT+CSQ\r", "\r\n+CSQ: 99,99\r\n\r\nOK\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 0,0\r\n\r\nOK\r\n");
        host.command("AT+CFUN=1\r", "\r\nOK\r\n");
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
        host.command("AT+CFUN=7\r", "\r\nERROR\r\n");
    }

    @Test
    void cfunResetReboots() throws Exception {
        ready();
        host.command("AT+CFUN=1,1\r", "\r\nOK\r\n" + BANNER);
        host.command("AT\r", "AT\r\r\nOK\r\n");   // echo is back on
    }

    @Test
    void crlfTerminatorAndLowerCaseAreAccepted() throws Exception {
        ready();
        host.command("AT\r\n", "\r\nOK\r\n");
        host.command("at+csq\r\n", "\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
    }
}
