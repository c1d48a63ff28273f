package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.driver.ublox.nina.NinaOperations;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.nina.NinaDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PPP hand-over as a documented driver operation: {@code AT+UPPPC} settings reach the module, {@code ATO3} turns
 * the line into a raw byte stream both ways (checked against the simulator's raw mode), and EDM refuses it clearly.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NinaPppTest {

    private ModemSimulator sim;
    private Modem modem;

    @AfterEach
    void tearDown() {
        if (modem != null) {
            modem.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void pppSettingsThenAto3CarryRawBytesBothWays() throws Exception {
        sim = UbloxFixture.wifiSim(UbloxFixture.NINA, 921_600, 5);
        modem = Modem.open(sim.connectPipe(), UbloxFixture.wifiOptions().withDriverOption("nina.dataMode", "command"));
        NinaOperations nina = modem.feature(NinaOperations.class).orElseThrow();
        nina.configurePpp(101, "172.20.10.4");
        nina.configurePpp(102, "255.255.255.0");
        nina.configurePpp(104, "172.20.10.1");
        nina.configurePpp(107, "1");
        NinaDialect d = (NinaDialect) sim.dialect();
        assertEquals("172.20.10.4", d.pppSetting(101));
        assertEquals("1", d.pppSetting(107));
        assertThrows(IllegalArgumentException.class, () -> nina.configurePpp(101, "1.2.3.4\r\nAT+UFACTORY"));

        ByteArrayOutputStream atModule = new ByteArrayOutputStream();
        d.pppEndpoint(b -> {
            synchronized (atModule) {
                atModule.writeBytes(b);
            }
        });
        NinaOperations.PppLine line = nina.enterPpp();
        // The simulator switches its line once its answer to ATO3 has gone out, which may be just after the host read it.
        long switchBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!d.hostMode().name().equals("RAW") && System.nanoTime() < switchBy) {
            Thread.sleep(5);
        }
        assertEquals("RAW", d.hostMode().name());

        // PPP-like frames: flag bytes, escapes, CR/LF and "OK" inside must all pass untouched
        byte[] up = new byte[20_000];
        new Random(1).nextBytes(up);
        System.arraycopy("\r\nOK\r\n".getBytes(), 0, up, 100, 6);
        line.output().write(up);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            synchronized (atModule) {
                if (atModule.size() >= up.length) {
                    break;
                }
            }
            Thread.sleep(10);
        }
        synchronized (atModule) {
            assertArrayEquals(up, atModule.toByteArray(), "host -> module byte-exact");
        }

        byte[] down = new byte[20_000];
        new Random(2).nextBytes(down);
        System.arraycopy("\r\n+STARTUP\r\n".getBytes(), 0, down, 50, 12);
        d.sendPpp(down);
        InputStream in = line.input();
        assertArrayEquals(down, in.readNBytes(down.length), "module -> host byte-exact");
    }

    @Test
    void pppIsRefusedInExtendedDataMode() throws Exception {
        sim = UbloxFixture.wifiSim(UbloxFixture.NINA, 0, 6);
        modem = UbloxFixture.openWifi(sim);
        NinaOperations nina = modem.feature(NinaOperations.class).orElseThrow();
        ModemException e = assertThrows(ModemException.class, nina::enterPpp);
        assertTrue(e.getMessage().contains("nina.dataMode=command"), e.getMessage());
    }
}
