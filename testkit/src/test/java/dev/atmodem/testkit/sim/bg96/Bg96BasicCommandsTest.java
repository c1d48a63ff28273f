package dev.atmodem.testkit.sim.bg96;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.SimOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Bring-up and information commands, byte for byte against AT-REFERENCE §0/§1A and QUIRKS 1. */
class Bg96BasicCommandsTest extends Bg96TestBase {

    @Test
    void powerOnBannerThenEchoOnUntilAte0() throws Exception {
        start(ModemSimulator.builder("bg96"));
        host.expect(BANNER);
        host.command("AT\r", "AT\r\r\nOK\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");      // ATE0 itself is echoed
        host.command("AT\r", "\r\nOK\r\n");
        host.command("ATE1\r", "\r\nOK\r\n");
        host.command("AT\r", "AT\r\r\nOK\r\n");
    }

    @Test
    void aBootingModemIgnoresCommandsUntilAppRdy() throws Exception {
        start(ModemSimulator.builder("bg96").options(SimOptions.defaults().withBootMillis(500)));
        host.expect("\r\nRDY\r\n");
        host.send("AT+CGMM\r");                                     // too early: lost
        host.expect("\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nAPP RDY\r\n");
        host.command("AT\r", "AT\r\r\nOK\r\n");                      // no answer to the lost command first
    }

    @Test
    void crlfTerminatorAndLowerCaseAreAccepted() throws Exception {
        ready();
        host.command("AT\r\n", "\r\nOK\r\n");
        host.command("at+csq\r\n", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
    }

    @Test
    void noiseBeforeACommandIsIgnored() throws Exception {
        ready();
        host.command("\u0000\u00ff\nAT\r", "\r\nOK\r\n");
    }

    @Test
    void identification() throws Exception {
        ready();
        host.command("ATI\r", "\r\nQuectel\r\nBG96\r\nRevision: BG96MAR02A07M1G\r\n\r\nOK\r\n");
        host.command("AT+CGMI\r", "\r\nQuectel\r\n\r\nOK\r\n");
        host.command("AT+CGMM\r", "\r\nBG96\r\n\r\nOK\r\n");
        host.command("AT+CGMR\r", "\r\nBG96MAR02A07M1G\r\n\r\nOK\r\n");
        host.command("AT+CGSN\r", "\r\n866425030000001\r\n\r\nOK\r\n");
    }

    @Test
    void unknownCommandIsPlainError() throws Exception {
        ready();
        host.command("AT+NOSUCH\r", "\r\nERROR\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+NOSUCH\r", "\r\nERROR\r\n");
    }

    @Test
    void cmeeModesFormatErrors() throws Exception {
        ready();
        // AT+CPIN=<pin> on an unlocked SIM is "operation not allowed" (27.007 code 3)
        host.command("AT+CMEE=0\r", "\r\nOK\r\n");
        host.command("AT+CPIN=\"1234\"\r", "\r\nERROR\r\n");
        host.command("AT+CMEE=1\r", "\r\nOK\r\n");
        host.command("AT+CPIN=\"1234\"\r", "\r\n+CME ERROR: 3\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+CPIN=\"1234\"\r", "\r\n+CME ERROR: operation not allowed\r\n");
        host.command("AT+CMEE?\r", "\r\n+CMEE: 2\r\n\r\nOK\r\n");
        host.command("AT+CMEE=3\r", "\r\nERROR\r\n");
    }

    @Test
    void pinLock() throws Exception {
        start(ModemSimulator.builder("bg96").pin("4321"));
        host.expect("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n\r\nAPP RDY\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+CPIN?\r", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 0,0\r\n\r\nOK\r\n");
        host.command("AT+QIACT=1\r", "\r\nERROR\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+CPIN=\"0000\"\r", "\r\n+CME ERROR: incorrect password\r\n");
        host.command("AT+CPIN=4321\r", "\r\nOK\r\n");
        host.command("AT+CPIN?\r", "\r\n+CPIN: READY\r\n\r\nOK\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 0,1\r\n\r\nOK\r\n");
    }

    @Test
    void signalAndRegistration() throws Exception {
        ready();
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 0,1\r\n\r\nOK\r\n");
        host.command("AT+CGREG?\r", "\r\n+CGREG: 0,1\r\n\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
        host.command("AT+CEREG=2\r", "\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 2,1,\"1A2B\",\"01C2D3E4\",8\r\n\r\nOK\r\n");
        host.command("AT+COPS?\r", "\r\n+COPS: 0,0,\"Simulated Operator\",8\r\n\r\nOK\r\n");
        host.command("AT+COPS=3,2\r", "\r\nOK\r\n");
        host.command("AT+COPS?\r", "\r\n+COPS: 0,2,\"00101\",8\r\n\r\nOK\r\n");
        sim.control(Bg96Dialect.class, d -> {
            d.signal(7, 3);
            d.registration(5);
        });
        host.expect("\r\n+CEREG: 5,\"1A2B\",\"01C2D3E4\",8\r\n");   // enabled by AT+CEREG=2
        host.command("AT+CSQ\r", "\r\n+CSQ: 7,3\r\n\r\nOK\r\n");
        host.command("AT+CREG?\r", "\r\n+CREG: 0,5\r\n\r\nOK\r\n");
        sim.control(Bg96Dialect.class, d -> d.registration(2));
        host.expect("\r\n+CEREG: 2\r\n");
        host.command("AT+CGREG?\r", "\r\n+CGREG: 0,2\r\n\r\nOK\r\n");
        host.command("AT+COPS?\r", "\r\n+COPS: 0\r\n\r\nOK\r\n");
    }

    @Test
    void registrationChangesRaiseEnabledUrcs() throws Exception {
        ready();
        host.command("AT+CREG=1\r", "\r\nOK\r\n");
        host.command("AT+CEREG=2\r", "\r\nOK\r\n");
        sim.control(Bg96Dialect.class, d -> d.registration(2));
        host.expect("\r\n+CREG: 2\r\n\r\n+CEREG: 2\r\n");
        sim.control(Bg96Dialect.class, d -> d.registration(1));
        host.expect("\r\n+CREG: 1\r\n\r\n+CEREG: 1,\"1A2B\",\"01C2D3E4\",8\r\n");
        sim.control(Bg96Dialect.class, d -> d.registration(1));   // no change, no URC
        host.command("AT\r", "\r\nOK\r\n");
    }

    @Test
    void cfunRadioOffAndReboot() throws Exception {
        ready();
        host.command("AT+CFUN?\r", "\r\n+CFUN: 1\r\n\r\nOK\r\n");
        host.command("AT+CFUN=0\r", "\r\nOK\r\n");
        host.command("AT+CSQ\r", "\r\n+CSQ: 99,99\r\n\r\nOK\r\n");
        host.command("AT+CEREG?\r", "\r\n+CEREG: 0,0\r\n\r\nOK\r\n");
        host.command("AT+CFUN=1\r", "\r\nOK\r\n");
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
        // full reboot: OK, then the boot banner, and echo is back on
        host.command("AT+CFUN=1,1\r", "\r\nOK\r\n" + BANNER);
        host.command("AT\r", "AT\r\r\nOK\r\n");
    }

    @Test
    void contextConfigurationAndActivation() throws Exception {
        ready();
        host.command("AT+QIACT?\r", "\r\nOK\r\n");
        host.command("AT+QICSGP=1,1,\"internet\",\"user\",\"pw\",1\r", "\r\nOK\r\n");
        host.command("AT+QICSGP=1\r", "\r\n+QICSGP: 1,\"internet\",\"user\",\"pw\",1\r\n\r\nOK\r\n");
        host.command("AT+QICSGP=17,1,\"x\"\r", "\r\nERROR\r\n");
        host.command("AT+QIACT=1\r", "\r\nOK\r\n");
        host.command("AT+QIACT?\r", "\r\n+QIACT: 1,1,1,\"10.0.0.2\"\r\n\r\nOK\r\n");
        host.command("AT+QIDEACT=1\r", "\r\nOK\r\n");
        host.command("AT+QIACT?\r", "\r\nOK\r\n");
    }

    @Test
    void networkTime() throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
        start(ModemSimulator.builder("bg96").options(SimOptions.defaults().withClock(fixed)));
        host.expect(BANNER);
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+QLTS=1\r", "\r\n+QLTS: \"2026/03/04,05:06:07+00,0\"\r\n\r\nOK\r\n");
        sim.control(Bg96Dialect.class, d -> d.timeZoneQuarters(8));
        host.command("AT+QLTS=2\r", "\r\n+QLTS: \"2026/03/04,07:06:07+08,0\"\r\n\r\nOK\r\n");
        host.command("AT+QLTS=1\r", "\r\n+QLTS: \"2026/03/04,05:06:07+08,0\"\r\n\r\nOK\r\n");
    }

    @Test
    void statisticsCountCommandsAndBytes() throws Exception {
        ready();
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
        assertEquals(2, sim.stats().commandCount("AT+CSQ"));
        assertEquals(1, sim.stats().commandCount("ATE"));
        assertEquals("ATE0\r".length() + 2 * "AT+CSQ\r".length(), sim.stats().bytesFromHost());
        assertEquals(BANNER.length() + "ATE0\r\r\nOK\r\n".length() + 2 * "\r\n+CSQ: 20,99\r\n\r\nOK\r\n".length(),
                sim.stats().bytesToHost());
    }
}
