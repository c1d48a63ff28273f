package dev.atmodem.testkit.sim.ublox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.Stats;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Sockets byte for byte against AT-REFERENCE §3B/§3C/§3E and QUIRKS 2, 3, 4, 11, 12. */
class SaraSocketTest extends SaraTestBase {

    @Test
    void theModuleAssignsIdsZeroToSix() throws Exception {
        r4();
        for (int id = 0; id < 7; id++) {
            host.command("AT+USOCR=6\r", "\r\n+USOCR: " + id + "\r\n\r\nOK\r\n");
        }
        host.command("AT+USOCR=6\r", "\r\nERROR\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+USOCL=3\r", "\r\nOK\r\n");
        host.command("AT+USOCR=6,0\r", "\r\n+USOCR: 3\r\n\r\nOK\r\n");       // FreeRTOS form, freed id reused
        host.command("AT+USOCR=17\r", "\r\n+CME ERROR: Operation not supported\r\n");   // UDP: not simulated
    }

    @Test
    void firstSocketIdKnobCatchesADriverThatAssumesZero() throws Exception {
        r4();
        sim.control(SaraDialect.class, d -> d.firstSocketId(5));
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 5\r\n\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 6\r\n\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
    }

    @Test
    void syncConnectWriteReadAndClose() throws Exception {
        r4();
        LoopbackPeer p = peer();
        Socket peer = open(p, 0);
        // binary write: \r\n@ and nothing after it, exactly len raw bytes, then +USOWR and OK (§3B, QUIRKS 2)
        host.command("AT+USOWR=0,5\r", "\r\n@");
        afterPrompt();
        host.command("hello", "\r\n+USOWR: 0,5\r\n\r\nOK\r\n");
        assertArrayEquals(ascii("hello"), LoopbackPeer.readExactly(peer, 5));
        write(peer, ascii("HTTP/1.1 200"));
        host.expect("\r\n+UUSORD: 0,12\r\n");
        host.command("AT+USORD=0,1024\r", "\r\n+USORD: 0,12,\"HTTP/1.1 200\"\r\n\r\nOK\r\n");
        host.command("AT+USORD=0,0\r", "\r\n+USORD: 0,0\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,10\r", "\r\n+USOCTL: 0,10,4\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,0\r", "\r\n+USOCTL: 0,0,6\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,2\r", "\r\n+USOCTL: 0,2,5\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,3\r", "\r\n+USOCTL: 0,3,12\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,4\r", "\r\n+USOCTL: 0,4,\"127.0.0.1\"," + p.port() + "\r\n\r\nOK\r\n");
        host.command("AT+USOCL=0\r", "\r\nOK\r\n");
        assertEquals(-1, peer.getInputStream().read());
        host.command("AT+USOCTL=0,10\r", "\r\nERROR\r\n");
        assertEquals(new Stats.SocketBytes(5, 12), sim.stats().socket(0));
    }

    @Test
    void emptyReadOmitsTheLengthOnR4() throws Exception {
        r4();
        open(peer(), 0);
        host.command("AT+USORD=0,100\r", "\r\n+USORD: 0,\"\"\r\n\r\nOK\r\n");
    }

    @Test
    void asyncConnectAnswersOkThenUusoco() throws Exception {
        r4();
        LoopbackPeer p = peer();
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.command("AT+USOCO=0,\"127.0.0.1\"," + p.port() + ",1\r", "\r\nOK\r\n");
        closeables.add(p.accept(Duration.ofSeconds(5)));
        host.expect("\r\n+UUSOCO: 0,0\r\n");
        host.command("AT+USOCTL=0,10\r", "\r\n+USOCTL: 0,10,4\r\n\r\nOK\r\n");
    }

    @Test
    void refusedConnects() throws Exception {
        r4();
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.command("AT+USOCO=0,\"127.0.0.1\"," + closedPort + "\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+USOER\r", "\r\n+USOER: 111\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,1\r", "\r\n+USOCTL: 0,1,111\r\n\r\nOK\r\n");
        host.command("AT+USOCO=0,\"127.0.0.1\"," + closedPort + ",1\r", "\r\nOK\r\n");
        host.expect("\r\n+UUSOCO: 0,111\r\n");
        // only 127.0.0.0/8 is reachable: anything else times out
        host.command("AT+USOCO=0,\"93.184.216.34\",80,1\r", "\r\nOK\r\n");
        host.expect("\r\n+UUSOCO: 0,110\r\n");
        // an unknown name
        host.command("AT+USOCO=0,\"nowhere.test\",80\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+USOER\r", "\r\n+USOER: 113\r\n\r\nOK\r\n");
        // a name from the table works
        LoopbackPeer p = peer();
        host.send("AT+USOCO=0,\"broker.test\"," + p.port() + "\r");
        closeables.add(p.accept(Duration.ofSeconds(5)));
        host.expect("\r\nOK\r\n");
    }

    @Test
    void asyncConnectIsNotOnTheR410M01B() throws Exception {
        ready("sara-r410m-01b");
        host.command("AT+CGMM\r", "\r\nSARA-R410M-01B\r\n\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.command("AT+CMEE=1\r", "\r\nOK\r\n");
        host.command("AT+USOCO=0,\"127.0.0.1\",1,1\r", "\r\n+CME ERROR: 4\r\n");
        host.command("AT+USOCL=0,1\r", "\r\n+CME ERROR: 4\r\n");
        host.command("AT+USOCL=0\r", "\r\nOK\r\n");
    }

    @Test
    void writeLimitsAndBinaryExactPayloads() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        host.command("AT+USOWR=0,1025\r", "\r\nERROR\r\n");
        host.command("AT+USOWR=0,0\r", "\r\nERROR\r\n");
        byte[] big = new byte[1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        host.command("AT+USOWR=0,1024\r", "\r\n@");
        afterPrompt();
        host.send(big).expect("\r\n+USOWR: 0,1024\r\n\r\nOK\r\n");
        assertArrayEquals(big, LoopbackPeer.readExactly(peer, 1024));
        host.command("AT+USOWR=0," + NASTY.length + "\r", "\r\n@");
        afterPrompt();
        host.send(NASTY).expect("\r\n+USOWR: 0," + NASTY.length + "\r\n\r\nOK\r\n");
        assertArrayEquals(NASTY, LoopbackPeer.readExactly(peer, NASTY.length));
        // base syntax, text data
        host.command("AT+USOWR=0,3,\"abc\"\r", "\r\n+USOWR: 0,3\r\n\r\nOK\r\n");
        assertArrayEquals(ascii("abc"), LoopbackPeer.readExactly(peer, 3));
        host.command("AT+USOWR=0,4,\"abc\"\r", "\r\nERROR\r\n");
    }

    @Test
    void readIsFramedByLengthOnlyAndLimitedTo1024() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        write(peer, NASTY);
        host.expect("\r\n+UUSORD: 0," + NASTY.length + "\r\n");
        host.send("AT+USORD=0,1024\r").expect("\r\n+USORD: 0," + NASTY.length + ",\"").expect(NASTY)
                .expect("\"\r\n\r\nOK\r\n");
        host.command("AT+USORD=0,1025\r", "\r\nERROR\r\n");
        byte[] data = new byte[1500];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        write(peer, data);
        host.readThrough("\r\n+UUSORD: 0,");   // the first chunk to arrive raises the URC
        host.readThrough("\r\n");
        awaitBuffered(0, 1500);
        host.send("AT+USORD=0,1024\r").expect("\r\n+USORD: 0,1024,\"");
        byte[] first = host.read(1024);
        host.expect("\"\r\n\r\nOK\r\n");
        // a partial read re-raises +UUSORD with what is left (§3B)
        host.expect("\r\n+UUSORD: 0,476\r\n");
        host.send("AT+USORD=0,1024\r").expect("\r\n+USORD: 0,476,\"");
        byte[] second = host.read(476);
        host.expect("\"\r\n\r\nOK\r\n");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(first);
        all.write(second);
        assertArrayEquals(data, all.toByteArray());
        host.command("AT\r", "\r\nOK\r\n");    // no URC after a read that emptied the buffer
    }

    @Test
    void uusoclOnlyAfterTheBufferedDataWasRead() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        write(peer, ascii("bye"));
        host.expect("\r\n+UUSORD: 0,3\r\n");
        peer.close();
        // the peer is gone, but the modem holds the data and says nothing yet (QUIRKS 12)
        awaitTcpState(0, 7);
        host.command("AT+USORD=0,0\r", "\r\n+USORD: 0,3\r\n\r\nOK\r\n");
        host.command("AT+USOWR=0,1\r", "\r\nERROR\r\n");          // writes fail at once
        host.command("AT+USOER\r", "\r\n+USOER: 104\r\n\r\nOK\r\n");
        host.command("AT+USORD=0,2\r", "\r\n+USORD: 0,2,\"by\"\r\n\r\nOK\r\n\r\n+UUSORD: 0,1\r\n");
        host.command("AT+USORD=0,2\r", "\r\n+USORD: 0,1,\"e\"\r\n\r\nOK\r\n\r\n+UUSOCL: 0\r\n");
        // released: the id is gone (live log, §3B)
        host.command("AT+USORD=0,2\r", "\r\nERROR\r\n");
        host.command("AT+USOCL=0\r", "\r\nERROR\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
    }

    @Test
    void remoteCloseWithNothingBufferedIsReportedAtOnce() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        peer.close();
        host.expect("\r\n+UUSOCL: 0\r\n");
    }

    @Test
    void hexModeForInlineWritesAndReads() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        host.command("AT+UDCONF=1\r", "\r\n+UDCONF: 1,0\r\n\r\nOK\r\n");
        host.command("AT+UDCONF=1,1\r", "\r\nOK\r\n");
        host.command("AT+UDCONF=1\r", "\r\n+UDCONF: 1,1\r\n\r\nOK\r\n");
        host.command("AT+USOWR=0,3,\"000D0A\"\r", "\r\n+USOWR: 0,3\r\n\r\nOK\r\n");
        assertArrayEquals(new byte[] {0, '\r', '\n'}, LoopbackPeer.readExactly(peer, 3));
        host.command("AT+USOWR=0,2,\"000D0A\"\r", "\r\nERROR\r\n");     // length and data disagree
        host.command("AT+USOWR=0,1,\"zz\"\r", "\r\nERROR\r\n");
        host.command("AT+USOWR=0,513,\"" + "00".repeat(513) + "\"\r", "\r\nERROR\r\n");   // 512 in HEX mode
        // the binary syntax is not affected by HEX mode (§3B)
        host.command("AT+USOWR=0,2\r", "\r\n@");
        afterPrompt();
        host.command("\"\u001a", "\r\n+USOWR: 0,2\r\n\r\nOK\r\n");
        assertArrayEquals(new byte[] {'"', 0x1A}, LoopbackPeer.readExactly(peer, 2));
        write(peer, NASTY);
        host.expect("\r\n+UUSORD: 0," + NASTY.length + "\r\n");
        host.command("AT+USORD=0,1025\r", "\r\nERROR\r\n");   // 0-1024 in HEX mode too (§3C)
        host.command("AT+USORD=0,512\r", "\r\n+USORD: 0," + NASTY.length + ",\""
                + java.util.HexFormat.of().withUpperCase().formatHex(NASTY) + "\"\r\n\r\nOK\r\n");
        host.command("AT+UDCONF=1,0\r", "\r\nOK\r\n");
        host.command("AT+USOWR=0,2,\"ok\"\r", "\r\n+USOWR: 0,2\r\n\r\nOK\r\n");
        assertArrayEquals(ascii("ok"), LoopbackPeer.readExactly(peer, 2));
    }

    @Test
    void aSecondConnectBeforeUusocoClosesThePendingOne() throws Exception {
        // a 300 ms round trip keeps the first connect pending long enough
        start(dev.atmodem.testkit.sim.ModemSimulator.builder("sara-r4").rttMillis(300));
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 1\r\n\r\nOK\r\n");
        LoopbackPeer p = peer();
        host.command("AT+USOCO=0,\"127.0.0.1\"," + p.port() + ",1\r", "\r\nOK\r\n");
        // §3B: no second connect before +UUSOCO, and the pending socket is closed
        host.command("AT+USOCO=1,\"127.0.0.1\"," + p.port() + ",1\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        sleep(500);
        host.command("AT+USOCTL=0,10\r", "\r\n+USOCTL: 0,10,0\r\n\r\nOK\r\n");   // and no +UUSOCO came
        host.command("AT+USOCO=1,\"127.0.0.1\"," + p.port() + ",1\r", "\r\nOK\r\n");
        host.expect("\r\n+UUSOCO: 1,0\r\n");
    }

    @Test
    void asyncCloseAnswersOkThenUusocl() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        host.command("AT+USOCL=0,1\r", "\r\nOK\r\n");
        host.expect("\r\n+UUSOCL: 0\r\n");
        assertEquals(-1, peer.getInputStream().read());
        host.command("AT+USOCL=0\r", "\r\nERROR\r\n");
        host.command("AT+USOCL=7\r", "\r\nERROR\r\n");
    }

    @Test
    void writesAndReadsOnSocketsThatAreNotConnected() throws Exception {
        r4();
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+USOWR=0,1\r", "\r\n+CME ERROR: Operation not allowed\r\n");    // never created
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.command("AT+USOWR=0,1\r", "\r\n+CME ERROR: Operation not allowed\r\n");    // not connected
        host.command("AT+USOER\r", "\r\n+USOER: 107\r\n\r\nOK\r\n");
        host.command("AT+USORD=0,0\r", "\r\n+USORD: 0,0\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,10\r", "\r\n+USOCTL: 0,10,0\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,11\r", "\r\n+USOCTL: 0,11,0\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,4\r", "\r\n+CME ERROR: Operation not allowed\r\n");
    }

    @Test
    void bytesSentBeforeThePromptWaitAreLost() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        sim.control(SaraDialect.class, d -> d.promptWait(500));
        host.command("AT+USOWR=0,3\r", "\r\n@");
        host.send("abc");                          // at once: the modem is not ready yet (§3B, QUIRKS 2)
        sleep(600);
        host.command("xyz", "\r\n+USOWR: 0,3\r\n\r\nOK\r\n");
        assertArrayEquals(ascii("xyz"), LoopbackPeer.readExactly(peer, 3));
    }

    /** Polls {@code AT+USOCTL=<id>,10} until the TCP state is {@code state}. */
    void awaitTcpState(int id, int state) throws Exception {
        String want = "\r\n+USOCTL: " + id + ",10," + state + "\r\n\r\nOK\r\n";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            host.send("AT+USOCTL=" + id + ",10\r");
            String answer = host.readThrough("OK\r\n");
            if (answer.equals(want)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("TCP state never became " + state + "; last answer " + answer);
            }
            sleep(5);
        }
    }
}
