package dev.atmodem.testkit.sim.ublox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 64 KiB under link conditions (a paced line, fragmented output, network delay) through each receive path: binary
 * {@code AT+USORD} on R4 and R5, the QUIRKS 4 {@code OK} variant, HEX mode, and URC-less polling (QUIRKS 11). Every
 * byte arrives once and in order, and the receive window holds the peer back instead of losing data.
 */
class SaraStreamTest extends SaraTestBase {

    private static final int SIZE = 64 * 1024;

    private boolean hex;
    private boolean r4;

    private void startFragmented(String dialect) throws Exception {
        start(ModemSimulator.builder(dialect).baud(921600).fragmentation(1, 64).rttMillis(10).seed(11));
        host.timeout(Duration.ofSeconds(20));
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        r4 = dialect.equals("sara-r4");
        if (!r4) {
            activateProfile();
        }
    }

    private static byte[] random(long seed) {
        byte[] data = new byte[SIZE];
        new Random(seed).nextBytes(data);
        return data;
    }

    @ParameterizedTest(name = "{0} hex={1} okWithoutCrlf={2}")
    @CsvSource({"sara-r4,false,false", "sara-r5,false,false", "sara-r4,false,true", "sara-r5,true,false"})
    void echoThroughEveryReadPath(String dialect, boolean hexMode, boolean okQuirk) throws Exception {
        startFragmented(dialect);
        hex = hexMode;
        sim.control(SaraDialect.class, d -> d.okWithoutCrlfAfterRead(okQuirk));
        sim.control(SaraDialect.class, d -> d.promptWait(0));   // keeps 64 writes fast; the wait has its own test
        if (hex) {
            host.command("AT+UDCONF=1,1\r", "\r\nOK\r\n");
        }
        LoopbackPeer echo = LoopbackPeer.echo();
        closeables.add(echo);
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.command("AT+USOCO=0,\"broker.test\"," + echo.port() + "\r", "\r\nOK\r\n");
        byte[] data = random(1);
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        int chunk = hex ? SaraDialect.MAX_WRITE_HEX : SaraDialect.MAX_WRITE;
        for (int off = 0; off < SIZE; off += chunk) {
            byte[] part = Arrays.copyOfRange(data, off, Math.min(SIZE, off + chunk));
            if (hex) {
                // HEX mode: the base syntax carries the data inline; the binary syntax is unaffected (§3B)
                host.send("AT+USOWR=0," + part.length + ",\"" + HexFormat.of().formatHex(part) + "\"\r");
            } else {
                host.send("AT+USOWR=0," + part.length + "\r").readThrough("\r\n@");   // a URC may come first
                host.send(part);
            }
            String answer = host.readThrough("\r\n+USOWR: 0," + part.length + "\r\n\r\nOK\r\n");
            assertTrue(answer.endsWith("\r\n+USOWR: 0," + part.length + "\r\n\r\nOK\r\n"), answer);
            read(back, okQuirk);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (back.size() < SIZE && System.nanoTime() < deadline) {
            read(back, okQuirk);
        }
        assertArrayEquals(data, back.toByteArray());
    }

    /** One {@code AT+USORD=0,<max>}; +UUSORD URCs that arrive in between are skipped. */
    private void read(ByteArrayOutputStream back, boolean okQuirk) throws IOException {
        host.send("AT+USORD=0," + SaraDialect.MAX_READ + "\r");
        host.readThrough("\r\n+USORD: 0,");
        byte first = host.read(1)[0];
        if (first == '"') {
            assertTrue(r4, "only the R4 omits the length of an empty read");
            host.expect("\"\r\n\r\nOK\r\n");
            return;
        }
        String rest = host.readThrough(",\"");
        int n = Integer.parseInt((char) first + rest.substring(0, rest.length() - 2));
        if (n == 0) {
            host.expect("\"\r\n\r\nOK\r\n");
            return;
        }
        assertTrue(n <= SaraDialect.MAX_READ, "chunk " + n);
        if (hex) {
            back.write(HexFormat.of().parseHex(new String(host.read(2 * n), StandardCharsets.ISO_8859_1)));
        } else {
            back.write(host.read(n));
        }
        host.expect(okQuirk ? "\"\r\nOK\r\n" : "\"\r\n\r\nOK\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sara-r4", "sara-r5"})
    void aLargeReplyReadByPollingWithoutUrcs(String dialect) throws Exception {
        startFragmented(dialect);
        sim.control(SaraDialect.class, d -> d.omitUusordAfterRead(true));
        LoopbackPeer p = peer();
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.send("AT+USOCO=0,\"127.0.0.1\"," + p.port() + ",1\r").expect("\r\nOK\r\n");
        Socket peer = p.accept(Duration.ofSeconds(5));
        closeables.add(peer);
        host.expect("\r\n+UUSOCO: 0,0\r\n");
        byte[] data = random(2);
        Thread writer = new Thread(() -> {
            try {
                write(peer, data);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "peer-writer");
        writer.setDaemon(true);
        writer.start();   // 64 KiB is more than the modem's window: the peer's TCP is held back until we read
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (got.size() < SIZE && System.nanoTime() < deadline) {
            read(got, false);
        }
        assertArrayEquals(data, got.toByteArray());
        writer.join(5000);
    }
}
