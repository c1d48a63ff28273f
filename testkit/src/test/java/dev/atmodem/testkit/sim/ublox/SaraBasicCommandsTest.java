package dev.atmodem.testkit.sim.ublox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.sim.Dialects;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.SimOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Identity, CMEE, SIM, registration, CFUN, time and DNS byte for byte (AT-REFERENCE §0, §3A, §3D; QUIRKS 1, 13). */
class SaraBasicCommandsTest extends SaraTestBase {

    @Test
    void dialectsAreRegistered() {
        assertTrue(Dialects.names().containsAll(java.util.List.of("sara-r4", "sara-r5", "sara-r412m",
                "sara-r410m-01b")), Dialects.names().toString());
        assertEquals("sara-r4", Dialects.create("sara-r412m").name());
        assertEquals("sara-r5", Dialects.create("SARA-R5").name());
    }

    @Test
    void powerOnWithEchoAndNoBanner() throws Exception {
        start(ModemSimulator.builder("sara-r4"));
        host.command("AT\r", "AT\r\r\nOK\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT\r", "\r\nOK\r\n");
        host.command("ATV1\r", "\r\nOK\r\n");
        host.command("AT+NOSUCH\r", "\r\nERROR\r\n");
    }

    @Test
    void bootUrcsKnob() throws Exception {
        start(ModemSimulator.builder("sara-r4"));
        sim.control(SaraDialect.class, d -> d.bootUrcs("+STARTUP"));
        host.command("AT+CFUN=15\r", "AT+CFUN=15\r\r\nOK\r\n\r\n+STARTUP\r\n");
    }

    @Test
    void identityOfEachModel() throws Exception {
        r4();
        host.command("ATI\r", "\r\nu-blox\r\nSARA-R410M-02B\r\n\r\nOK\r\n");
        host.command("AT+CGMI\r", "\r\nu-blox\r\n\r\nOK\r\n");
        host.command("AT+CGMM\r", "\r\nSARA-R410M-02B\r\n\r\nOK\r\n");
        host.command("AT+CGMR\r", "\r\n" + SaraModel.R410M_02B.revision() + "\r\n\r\nOK\r\n");
        host.command("AT+CGSN\r", "\r\n352753090000001\r\n\r\nOK\r\n");
        host.command("AT+CCID\r", "\r\n+CCID: " + SaraDialect.ICCID + "\r\n\r\nOK\r\n");
        host.command("AT+CIMI\r", "\r\n" + SaraDialect.IMSI + "\r\n\r\nOK\r\n");
        closeAll();
        ready("sara-r5");
        host.command("AT+CGMM\r", "\r\nSARA-R510S\r\n\r\nOK\r\n");
        host.command("AT+CGMR\r", "\r\n03.15\r\n\r\nOK\r\n");
        closeAll();
        ready("sara-r412m");
        host.command("AT+CGMM\r", "\r\nSARA-R412M-02B\r\n\r\nOK\r\n");
    }

    @Test
    void cmeeModesWithUbloxTexts() throws Exception {
        r4();
        host.command("AT+CMEE?\r", "\r\n+CMEE: 0\r\n\r\nOK\r\n");
        host.command("AT+CPIN=\"1234\"\r", "\r\nERROR\r\n");
        host.command("AT+CMEE=1\r", "\r\nOK\r\n");
        host.command("AT+CPIN=\"1234\"\r", "\r\n+CME ERROR: 3\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+CPIN=\"1234\"\r", "\r\n+CME ERROR: Operation not allowed\r\n");   // QUIRKS 13 (R410)
        host.command("AT+CMEE=3\r", "\r\nERROR\r\n");
        host.command("AT+CMEE=?\r", "\r\n+CMEE: (0-2)\r\n\r\nOK\r\n");
    }

    @Test
    void pinLock() throws Exception {
        start(ModemSimulator.builder("sara-r4").pin("1234"));
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+CPIN?\r", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 0,0\r\n\r\nOK\r\n");
        host.command("AT+CCID\r", "\r\n+CME ERROR: SIM PIN required\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.command("AT+USOCO=0,\"127.0.0.1\",1\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+CPIN=\"0000\"\r", "\r\n+CME ERROR: Incorrect password\r\n");
        host.command("AT+CPIN=\"1234\"\r", "\r\nOK\r\n");
        host.command("AT+CPIN?\r", "\r\n+CPIN: READY\r\n\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
        host.command("AT+CGACT?\r", "\r\n+CGACT: 1,1\r\n\r\nOK\r\n");
    }

    @Test
    void signalRegistrationAndOperator() throws Exception {
        r4();
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
        sim.control(SaraDialect.class, d -> d.signal(12, 3));
        host.command("AT+CSQ\r", "\r\n+CSQ: 12,3\r\n\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 0,1\r\n\r\nOK\r\n");
        host.command("AT+CGREG?\r", "\r\n+CGREG: 0,1\r\n\r\nOK\r\n");
        host.command("AT+CGATT?\r", "\r\n+CGATT: 1\r\n\r\nOK\r\n");
        host.command("AT+COPS?\r", "\r\n+COPS: 0,0,\"Simulated Operator\",7\r\n\r\nOK\r\n");
        host.command("AT+COPS=3,2\r", "\r\nOK\r\n");
        host.command("AT+COPS?\r", "\r\n+COPS: 0,2,\"00101\",7\r\n\r\nOK\r\n");
        host.command("AT+CEREG=2\r", "\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 2,1,\"1A2B\",\"01C2D3E4\",7\r\n\r\nOK\r\n");
        sim.control(SaraDialect.class, d -> d.registration(2));
        host.expect("\r\n+CEREG: 2\r\n");
        host.command("AT+CGATT?\r", "\r\n+CGATT: 0\r\n\r\nOK\r\n");
        host.command("AT+COPS?\r", "\r\n+COPS: 0\r\n\r\nOK\r\n");
        sim.control(SaraDialect.class, d -> d.registration(5));
        host.expect("\r\n+CEREG: 5,\"1A2B\",\"01C2D3E4\",7\r\n");
    }

    @Test
    void mnoProfileNeedsDeregistration() throws Exception {
        r4();
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+UMNOPROF?\r", "\r\n+UMNOPROF: 100\r\n\r\nOK\r\n");
        host.command("AT+UMNOPROF=2\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+COPS=2\r", "\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 0,0\r\n\r\nOK\r\n");
        host.command("AT+UMNOPROF=2\r", "\r\nOK\r\n");
        host.command("AT+UMNOPROF?\r", "\r\n+UMNOPROF: 2\r\n\r\nOK\r\n");
        host.command("AT+COPS=0\r", "\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
    }

    @Test
    void cfunRadioOffAndResets() throws Exception {
        r4();
        host.command("AT+CFUN?\r", "\r\n+CFUN: 1\r\n\r\nOK\r\n");
        host.command("AT+CFUN=0\r", "\r\nOK\r\n");
        host.command("AT+CSQ\r", "\r\n+CSQ: 99,99\r\n\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 0,0\r\n\r\nOK\r\n");
        host.command("AT+CGACT?\r", "\r\n+CGACT: 1,0\r\n\r\nOK\r\n");
        host.command("AT+CFUN=1\r", "\r\nOK\r\n");
        host.command("AT+CGACT?\r", "\r\n+CGACT: 1,1\r\n\r\nOK\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        // AT+CFUN=15 resets: OK, then the module comes back with echo on and settings gone (QUIRKS 1)
        host.command("AT+CFUN=15\r", "\r\nOK\r\n");
        host.command("AT+CMEE?\r", "AT+CMEE?\r\r\n+CMEE: 0\r\n\r\nOK\r\n");
        host.command("AT+CFUN=1,1\r", "AT+CFUN=1,1\r\r\nOK\r\n");
        host.command("AT\r", "AT\r\r\nOK\r\n");
        host.command("AT+CFUN=7\r", "AT+CFUN=7\r\r\nERROR\r\n");
    }

    @Test
    void networkTime() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T05:01:02Z"), ZoneOffset.UTC);
        start(ModemSimulator.builder("sara-r4").options(SimOptions.defaults().withClock(clock)));
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+CTZU=1\r", "\r\nOK\r\n");
        host.command("AT+CCLK?\r", "\r\n+CCLK: \"26/11/22,05:01:02+00\"\r\n\r\nOK\r\n");
        sim.control(SaraDialect.class, d -> d.timeZoneQuarters(-20));
        host.command("AT+CCLK?\r", "\r\n+CCLK: \"26/11/22,00:01:02-20\"\r\n\r\nOK\r\n");
    }

    @Test
    void dnsFromTheNameTable() throws Exception {
        r4();
        sim.names().put("multi.test", "127.0.0.2", "127.0.0.3");
        host.command("AT+UDNSRN=0,\"broker.test\"\r", "\r\n+UDNSRN: \"127.0.0.1\"\r\n\r\nOK\r\n");
        host.command("AT+UDNSRN=0,\"multi.test\"\r",
                "\r\n+UDNSRN: \"127.0.0.2\"\r\n\r\n+UDNSRN: \"127.0.0.3\"\r\n\r\nOK\r\n");
        host.command("AT+UDNSRN=0,\"nowhere.test\"\r", "\r\nERROR\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+UDNSRN=0,\"nowhere.test\"\r", "\r\n+CME ERROR: Unknown\r\n");
        host.command("AT+UDNSRN=0,\"x.test\",1\r", "\r\n+CME ERROR: Operation not supported\r\n");
        host.command("AT+CGACT=0,1\r", "\r\nOK\r\n");
        host.command("AT+UDNSRN=0,\"broker.test\"\r", "\r\n+CME ERROR: Operation not allowed\r\n");
    }
}
