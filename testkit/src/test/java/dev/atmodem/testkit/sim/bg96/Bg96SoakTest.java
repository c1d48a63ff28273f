package dev.atmodem.testkit.sim.bg96;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Long run: 4 MiB through an echo server over a paced, fragmented, delayed link, SHA-256 checked end to end. */
@EnabledIfSystemProperty(named = "atmodem.soak", matches = "true")
class Bg96SoakTest extends Bg96TestBase {

    private static final Logger measure = LoggerFactory.getLogger("dev.atmodem.testkit.measure");

    @Test
    void fourMebibytesRoundTripIntact() throws Exception {
        start(ModemSimulator.builder("bg96").baud(921600).fragmentation(1, 64).rttMillis(20).seed(11));
        host.timeout(Duration.ofSeconds(30));
        host.expect(BANNER);
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+QIACT=1\r", "\r\nOK\r\n");
        LoopbackPeer echo = LoopbackPeer.echo();
        closeables.add(echo);
        host.command("AT+QIOPEN=1,0,\"TCP\",\"broker.test\"," + echo.port() + ",0,0\r", "\r\nOK\r\n");
        host.expect("\r\n+QIOPEN: 0,0\r\n");
        byte[] data = new byte[4 << 20];
        new Random(12).nextBytes(data);
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        for (int off = 0; off < data.length; off += 1460) {
            int n = Math.min(1460, data.length - off);
            host.send("AT+QISEND=0," + n + "\r").readThrough("\r\n> ");   // a URC may come first
            host.send(java.util.Arrays.copyOfRange(data, off, off + n));
            String answer = host.readThrough("SEND OK\r\n");
            if (!answer.endsWith("\r\nSEND OK\r\n")) {
                throw new AssertionError(answer);
            }
            drain(back);
        }
        while (back.size() < data.length) {
            drain(back);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        measure.info("soak: {} bytes echoed in {} s", data.length, String.format("%.1f", s));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(sha.digest(data), MessageDigest.getInstance("SHA-256").digest(back.toByteArray()));
    }

    /** Reads whatever the modem holds; URCs that arrive in between are skipped. */
    private void drain(ByteArrayOutputStream back) throws Exception {
        host.send("AT+QIRD=0,1500\r");
        host.readThrough("+QIRD: ");
        String len = host.readThrough("\r\n");
        int n = Integer.parseInt(len.substring(0, len.length() - 2));
        if (n > 0) {
            back.write(host.read(n));
            host.expect("\r\n");
        }
        host.expect("\r\nOK\r\n");
    }
}
