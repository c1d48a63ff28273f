package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atmodem.testkit.sim.HostMode;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The PPP seam (§4E, §4X): {@code AT+UPPPC}, then {@code ATO3} hands the line to raw bytes both ways. */
class NinaPppTest extends NinaTestBase {

    /** A PPP frame start (0x7E, LCP) as a host's PPP stack would send it; the simulator does not interpret it. */
    private static final byte[] LCP = {0x7E, (byte) 0xFF, 0x7D, 0x23, (byte) 0xC0, 0x21, 0x7D, 0x21, 0x7E};

    @Test
    void rawBytesBothWaysAfterAto3AndAtTextSuppressed() throws Exception {
        ready();
        joinWifi();
        ByteArrayOutputStream fromHost = new ByteArrayOutputStream();
        sim.control(NinaDialect.class, d -> {
            d.pppEndpoint(b -> {
                synchronized (fromHost) {
                    fromHost.writeBytes(b);
                    fromHost.notifyAll();
                }
            });
            assertThrows(IllegalStateException.class, () -> d.sendPpp(LCP));
        });
        host.command("AT+UPPPC=101,172.20.10.4\r", "\r\nOK\r\n");
        host.command("ATO3\r", "\r\nOK\r\n");
        host.send(LCP);
        host.send("AT\r");   // not a command any more: PPP bytes
        byte[] want = new byte[LCP.length + 3];
        System.arraycopy(LCP, 0, want, 0, LCP.length);
        System.arraycopy(ascii("AT\r"), 0, want, LCP.length, 3);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        synchronized (fromHost) {
            while (fromHost.size() < want.length && System.nanoTime() < deadline) {
                fromHost.wait(100);
            }
            assertArrayEquals(want, fromHost.toByteArray());
        }
        sim.control(NinaDialect.class, d -> {
            assertEquals(HostMode.RAW, d.hostMode());
            assertEquals(want.length, d.pppBytesFromHost());
            assertEquals("172.20.10.4", d.pppSetting(101));
            d.sendPpp(LCP);
        });
        // URCs are not sent in PPP mode: a Wi-Fi loss shows no text on the line; only the PPP bytes come
        sim.control(NinaDialect.class, d -> d.linkRestoreMillis(-1));
        sim.faults().bearerLoss();
        host.expect(LCP);
        Thread.sleep(100);
        assertEquals(0, host.pending().length);
        // a restart ends PPP mode
        sim.faults().reboot();
        host.readThrough("\r\n+STARTUP\r\n");
        host.command("AT\r", "AT\r\r\nOK\r\n");
    }
}
