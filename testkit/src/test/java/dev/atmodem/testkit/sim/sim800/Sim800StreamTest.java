package dev.atmodem.testkit.sim.sim800;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bulk data under link conditions (a paced line, fragmented output, network delay): every byte arrives once and in
 * order through both receive modes, and the 2920-byte receive buffer holds the peer back instead of losing data.
 */
class Sim800StreamTest extends Sim800TestBase {

    private static final int SIZE = 64 * 1024;

    private void startFragmented() throws Exception {
        start(ModemSimulator.builder("sim800").baud(921600).fragmentation(1, 64).rttMillis(10).seed(7));
        host.timeout(Duration.ofSeconds(20));
        host.expect(BANNER);
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
    }

    private static byte[] random(long seed) {
        byte[] data = new byte[SIZE];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void echoThroughManualReceive() throws Exception {
        startFragmented();
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        host.command("AT+CIPRXGET=1\r", "\r\nOK\r\n");
        host.command("AT+CIPQSEND=1\r", "\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");
        LoopbackPeer echo = LoopbackPeer.echo();
        closeables.add(echo);
        host.command("AT+CIPSTART=0,\"TCP\",\"broker.test\"," + echo.port() + "\r", "\r\nOK\r\n");
        host.expect("\r\n0, CONNECT OK\r\n");
        byte[] data = random(1);
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        for (int off = 0; off < SIZE; off += 1460) {
            int n = Math.min(1460, SIZE - off);
            host.send("AT+CIPSEND=0," + n + "\r").readThrough("\r\n> ");     // a URC may come first
            host.send(Arrays.copyOfRange(data, off, off + n));
            String answer = host.readThrough("DATA ACCEPT:0," + n + "\r\n");
            assertTrue(answer.endsWith("\r\nDATA ACCEPT:0," + n + "\r\n"), answer);
            drain(back);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (back.size() < SIZE && System.nanoTime() < deadline) {
            drain(back);
        }
        assertArrayEquals(data, back.toByteArray());
    }

    /** One manual read; data-ready URCs that arrive in between are skipped. */
    private void drain(ByteArrayOutputStream back) throws Exception {
        host.send("AT+CIPRXGET=2,0,1460\r");
        host.readThrough("+CIPRXGET: 2,0,");
        String counts = host.readThrough("\r\n");
        int n = Integer.parseInt(counts.substring(0, counts.indexOf(',')));
        back.write(host.read(n));
        host.expect("\r\nOK\r\n");
    }

    @Test
    void pushReceiveOfALargeReply() throws Exception {
        startFragmented();
        bringUp();
        LoopbackPeer p = peer();
        host.command("AT+CIPSTART=1,\"TCP\",\"127.0.0.1\"," + p.port() + "\r", "\r\nOK\r\n");
        Socket peer = p.accept(Duration.ofSeconds(5));
        closeables.add(peer);
        host.expect("\r\n1, CONNECT OK\r\n");
        byte[] data = random(2);
        write(peer, data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < SIZE) {
            host.expect("\r\n+RECEIVE,1,");
            String len = host.readThrough(":\r\n");
            int n = Integer.parseInt(len.substring(0, len.length() - 3));
            assertTrue(n >= 1 && n <= Sim800Dialect.MAX_READ, "chunk " + n);
            got.write(host.read(n));
        }
        assertArrayEquals(data, got.toByteArray());
    }
}
