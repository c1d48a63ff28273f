package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.junit.SimulatedModem;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Test;

/** {@code @SimulatedModem} with the Wi-Fi dialects and their access-point attributes. */
@SimulatedModem(dialect = "nina-w", baud = 0)
class NinaExtensionTest {

    @Test
    void defaultAccessPoint(ModemSimulator sim, RawHost host) throws Exception {
        assertEquals("nina-w", sim.dialectName());
        assertEquals("atmodem-sim", sim.options().apSsid());
        host.expect("\r\n+STARTUP\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+UWSC=0,2,\"atmodem-sim\"\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,5,2\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,8,\"atmodem-sim-pass\"\r", "\r\nOK\r\n");
        host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n\r\n+UUNU:0\r\n");
    }

    @Test
    @SimulatedModem(dialect = "odin-w2", baud = 0, wifiSsid = "lab", wifiPassphrase = "")
    void odinOnAnOpenNetwork(ModemSimulator sim, RawHost host) throws Exception {
        assertEquals("odin-w2", sim.dialectName());
        host.expect("\r\n+STARTUP\r\n");
        host.command("AT+GMM\r", "AT+GMM\r\r\nODIN-W2\r\n\r\nOK\r\n");
        host.command("AT+UWSC=0,2,\"lab\"\r", "AT+UWSC=0,2,\"lab\"\r\r\nOK\r\n");
        host.command("AT+UWSC=0,5,1\r", "AT+UWSC=0,5,1\r\r\nOK\r\n");
        host.command("AT+UWSCA=0,3\r", "AT+UWSCA=0,3\r\r\nOK\r\n");
        host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n\r\n+UUNU:0\r\n");
    }
}
