package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.sim.ModemSimulator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Power-on, identity and the Wi-Fi station (AT-REFERENCE §4A, §4X), byte for byte in command mode. */
class NinaBasicCommandsTest extends NinaTestBase {

    @Test
    void powersOnWithStartupAndEchoOn() throws Exception {
        start(ModemSimulator.builder("nina-w"));
        host.expect("\r\n+STARTUP\r\n");
        host.command("AT\r", "AT\r\r\nOK\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT\r", "\r\nOK\r\n");
    }

    @Test
    void identity() throws Exception {
        ready();
        host.command("ATI0\r", "\r\nNINA-W132-01B\r\n\r\nOK\r\n");
        host.command("ATI9\r", "\r\n\"2.1.0-017\",\"NINA-W13X-2.1.0-017\"\r\n\r\nOK\r\n");
        host.command("AT+GMM\r", "\r\nNINA-W13X\r\n\r\nOK\r\n");
        host.command("AT+GMI\r", "\r\nu-blox\r\n\r\nOK\r\n");
        host.command("AT+GMR\r", "\r\n2.1.0-017\r\n\r\nOK\r\n");
        host.command("AT+UWAPMACADDR\r", "\r\n+UWAPMACADDR:6009C3E05737\r\n\r\nOK\r\n");
        host.command("AT+NOPE\r", "\r\nERROR\r\n");
    }

    @Test
    void odinIdentity() throws Exception {
        ready(ModemSimulator.builder("odin-w2"));
        host.command("AT+GMM\r", "\r\nODIN-W2\r\n\r\nOK\r\n");
        host.command("ATI0\r", "\r\nODIN-W262-06B\r\n\r\nOK\r\n");
    }

    @Test
    void theLogOfSection4X() throws Exception {
        ready();
        host.command("AT+UWAPMACADDR\r", "\r\n+UWAPMACADDR:6009C3E05737\r\n\r\nOK\r\n");
        host.command("AT+UWSC=0,0,1\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,2,\"atmodem-sim\"\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,5,2\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,8,\"atmodem-sim-pass\"\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,100,2\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,107,1\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,301,1\r", "\r\nOK\r\n");
        host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n");
        host.expect("\r\n+UUNU:0\r\n");   // (in the log it comes during the UPPPC commands: timing)
        host.command("AT+UPPPC=101,172.20.10.4\r", "\r\nOK\r\n");
        host.command("AT+UPPPC=102,255.255.255.0\r", "\r\nOK\r\n");
        host.command("AT+UPPPC=104,172.20.10.1\r", "\r\nOK\r\n");
        host.command("AT+UPPPC=105,172.20.10.1\r", "\r\nOK\r\n");
        host.command("AT+UPPPC=107,1\r", "\r\nOK\r\n");
        host.command("AT+UPPPC=101\r", "\r\n+UPPPC:101,172.20.10.4\r\n\r\nOK\r\n");
        host.command("ATO3\r", "\r\nOK\r\n");
        sim.control(NinaDialect.class, d -> assertEquals(dev.atmodem.testkit.sim.HostMode.RAW, d.hostMode()));
    }

    @Test
    void stationStatusBeforeAndAfterJoining() throws Exception {
        ready();
        host.command("AT+UNSTAT=0,101\r", "\r\n+UNSTAT:0,101,0.0.0.0\r\n\r\nOK\r\n");
        host.command("AT+UWSSTAT=3\r", "\r\n+UWSSTAT:3,0\r\n\r\nOK\r\n");
        host.command("AT+UWSC=0,5\r", "\r\n+UWSC:0,5,1\r\n\r\nOK\r\n");   // never set: open
        host.command("AT+UWSC=0,2\r", "\r\n+UWSC:0,2,\"\"\r\n\r\nOK\r\n");
        host.command("ATV1\r", "\r\nOK\r\n");
        joinWifi();
        host.command("AT+UNSTAT=0,101\r", "\r\n+UNSTAT:0,101,192.168.1.10\r\n\r\nOK\r\n");
        host.command("AT+UNSTAT=0,102\r", "\r\n+UNSTAT:0,102,255.255.255.0\r\n\r\nOK\r\n");
        host.command("AT+UNSTAT=0,2\r", "\r\n+UNSTAT:0,2,1\r\n\r\nOK\r\n");
        host.command("AT+UWSSTAT=3\r", "\r\n+UWSSTAT:3,2\r\n\r\nOK\r\n");
        host.command("AT+UWSSTAT=6\r", "\r\n+UWSSTAT:6,-40\r\n\r\nOK\r\n");
        host.command("AT+UWSSTAT=0\r", "\r\n+UWSSTAT:0,\"atmodem-sim\"\r\n\r\nOK\r\n");
        host.command("AT+UWSC=0,2\r", "\r\n+UWSC:0,2,\"atmodem-sim\"\r\n\r\nOK\r\n");
        host.command("AT+UWSC=0,5\r", "\r\n+UWSC:0,5,2\r\n\r\nOK\r\n");
        // the passphrase is never read back
        host.command("AT+UWSC=0,8\r", "\r\n+UWSC:0,8,\"\"\r\n\r\nOK\r\n");
        host.command("AT+UNSTAT=1,101\r", "\r\nERROR\r\n");
    }

    @Test
    void wrongPassphraseNeverBringsTheLinkUp() throws Exception {
        ready();
        configure("atmodem-sim", 2, "wrong-pass-123");
        host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUWLD:0,4\r\n");
        host.command("AT+UNSTAT=0,101\r", "\r\n+UNSTAT:0,101,0.0.0.0\r\n\r\nOK\r\n");
        host.command("AT+UWSSTAT=3\r", "\r\n+UWSSTAT:3,0\r\n\r\nOK\r\n");
    }

    @Test
    void unknownSsidNeverBringsTheLinkUp() throws Exception {
        ready();
        configure("other-network", 2, "atmodem-sim-pass");
        host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUWLD:0,2\r\n");
        Thread.sleep(200);   // ten times the association delay: nothing else comes
        host.timeout(Duration.ofMillis(300));
        host.command("AT\r", "\r\nOK\r\n");
        assertEquals(0, host.pending().length);
    }

    @Test
    void openAuthOnAProtectedNetworkFails() throws Exception {
        ready();
        configure("atmodem-sim", 1, null);
        host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUWLD:0,4\r\n");
    }

    @Test
    void configurableAccessPoint() throws Exception {
        ready(ModemSimulator.builder("nina-w").accessPoint("lab-net", "correct horse"));
        configure("lab-net", 2, "correct horse");
        host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n");
        host.expect("\r\n+UUNU:0\r\n");
        host.command("AT+UWSSTAT=0\r", "\r\n+UWSSTAT:0,\"lab-net\"\r\n\r\nOK\r\n");
    }

    @Test
    void openAccessPoint() throws Exception {
        ready(ModemSimulator.builder("nina-w").accessPoint("cafe", null));
        configure("cafe", 1, null);
        host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n");
        host.expect("\r\n+UUNU:0\r\n");
    }

    @Test
    void deactivationTakesTheLinkAndNetworkDown() throws Exception {
        ready();
        joinWifi();
        host.command("AT+UWSCA=0,4\r", "\r\nOK\r\n");
        host.expect("\r\n+UUWLD:0,5\r\n");
        host.expect("\r\n+UUND:0\r\n");
        host.command("AT+UNSTAT=0,101\r", "\r\n+UNSTAT:0,101,0.0.0.0\r\n\r\nOK\r\n");
    }

    @Test
    void badConfigurationValuesAreRefused() throws Exception {
        ready();
        host.command("AT+UWSC=0,2,unquoted\r", "\r\nERROR\r\n");
        host.command("AT+UWSC=0,5,9\r", "\r\nERROR\r\n");
        host.command("AT+UWSC=0,999,1\r", "\r\nERROR\r\n");
        host.command("AT+UWSCA=0,3\r", "\r\nERROR\r\n");   // no SSID yet
        host.command("AT+UPPPC=101,not-an-ip\r", "\r\nERROR\r\n");
        host.command("AT+UPPPC=555,1\r", "\r\nERROR\r\n");
    }

    @Test
    void storedConfigurationActiveOnStartupReconnectsAfterARestart() throws Exception {
        ready();
        configure("atmodem-sim", 2, "atmodem-sim-pass");
        host.command("AT+UWSC=0,0,1\r", "\r\nOK\r\n");
        host.command("AT+UWSCA=0,1\r", "\r\nOK\r\n");
        host.command("AT+CPWROFF\r", "\r\nOK\r\n");
        host.expect("\r\n+STARTUP\r\n");
        host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n");
        host.expect("\r\n+UUNU:0\r\n");
        host.command("AT\r", "AT\r\r\nOK\r\n");   // echo is back on after the restart
        assertTrue(sim.stats().commandCount("AT+CPWROFF") == 1);
    }
}
