package dev.atmodem.testkit.sim.sim800;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.Stats;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connections byte for byte against AT-REFERENCE §2B/§2C/§2F and QUIRKS 3, 7, 10, 11. */
class Sim800SocketTest extends Sim800TestBase {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void openStatusNormalSendAndQuickSend() throws Exception {
        attached();
        LoopbackPeer p = peer();
        Socket peer = open(p, 0);
        host.command("AT+CIPSTATUS=0\r",
                "\r\n+CIPSTATUS: 0,0,\"TCP\",\"127.0.0.1\",\"" + p.port() + "\",\"CONNECTED\"\r\n\r\nOK\r\n");
        host.command("AT+CIPSTATUS\r", "\r\nOK\r\n\r\nSTATE: IP PROCESSING\r\n"
                + "\r\nC: 0,0,\"TCP\",\"127.0.0.1\",\"" + p.port() + "\",\"CONNECTED\"\r\n"
                + "\r\nC: 1,,\"\",\"\",\"\",\"INITIAL\"\r\n\r\nC: 2,,\"\",\"\",\"\",\"INITIAL\"\r\n"
                + "\r\nC: 3,,\"\",\"\",\"\",\"INITIAL\"\r\n\r\nC: 4,,\"\",\"\",\"\",\"INITIAL\"\r\n"
                + "\r\nC: 5,,\"\",\"\",\"\",\"INITIAL\"\r\n");
        host.command("AT+CIPSEND=0,5\r", "\r\n> ");
        host.command("hello", "\r\n0, SEND OK\r\n");
        assertArrayEquals(ascii("hello"), LoopbackPeer.readExactly(peer, 5));
        host.command("AT+CIPQSEND?\r", "\r\n+CIPQSEND: 0\r\n\r\nOK\r\n");
        host.command("AT+CIPQSEND=1\r", "\r\nOK\r\n");
        host.command("AT+CIPSEND=0,27\r", "\r\n> ");
        host.command("012345678901234567890123456", "\r\nDATA ACCEPT:0,27\r\n");
        assertArrayEquals(ascii("012345678901234567890123456"), LoopbackPeer.readExactly(peer, 27));
        assertEquals(new Stats.SocketBytes(32, 0), sim.stats().socket(0));
    }

    @Test
    void sendIsBinaryExact() throws Exception {
        attached();
        Socket peer = open(peer(), 3);
        host.command("AT+CIPSEND=3," + NASTY.length + "\r", "\r\n> ");
        host.send(NASTY).expect("\r\n3, SEND OK\r\n");
        assertArrayEquals(NASTY, LoopbackPeer.readExactly(peer, NASTY.length));
    }

    @Test
    void sendWithoutLengthEndsAtCtrlZAndEscCancels() throws Exception {
        attached();
        Socket peer = open(peer(), 0);
        host.command("AT+CIPSEND=0\r", "\r\n> ");
        host.send("xyz\u001a").expect("\r\n0, SEND OK\r\n");
        assertArrayEquals(ascii("xyz"), LoopbackPeer.readExactly(peer, 3));
        host.command("AT+CIPSEND=0\r", "\r\n> ");
        host.send("never\u001b").expect("\r\nOK\r\n");
        // the cancelled bytes never left: 3 bytes sent in all (acknowledgement follows delivery, so poll for it)
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String answer;
        do {
            host.send("AT+CIPACK=0\r");
            answer = host.readThrough("OK\r\n");
            assertTrue(answer.matches("\r\n\\+CIPACK: 3,[0-3],[0-3]\r\n\r\nOK\r\n"), answer);
        } while (!answer.contains("+CIPACK: 3,3,0") && System.nanoTime() < deadline);
        assertEquals("\r\n+CIPACK: 3,3,0\r\n\r\nOK\r\n", answer);
    }

    @Test
    void sendSizeLimitComesFromCipsendQuery() throws Exception {
        attached();
        Socket peer = open(peer(), 1);
        host.command("AT+CIPSEND?\r", "\r\n+CIPSEND: 0,0\r\n\r\n+CIPSEND: 1,1460\r\n\r\n+CIPSEND: 2,0\r\n"
                + "\r\n+CIPSEND: 3,0\r\n\r\n+CIPSEND: 4,0\r\n\r\n+CIPSEND: 5,0\r\n\r\nOK\r\n");
        host.command("AT+CIPSEND=?\r", "\r\n+CIPSEND: (0-5),1460\r\n\r\nOK\r\n");
        host.command("AT+CIPSEND=1,1461\r", "\r\nERROR\r\n");
        byte[] big = new byte[1460];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        host.command("AT+CIPSEND=1,1460\r", "\r\n> ");
        host.send(big).expect("\r\n1, SEND OK\r\n");
        assertArrayEquals(big, LoopbackPeer.readExactly(peer, big.length));
        // "the data length which can be sent depends on network status": a driver must ask, not assume
        sim.control(Sim800Dialect.class, d -> d.sendLimit(500));
        host.command("AT+CIPSEND?\r", "\r\n+CIPSEND: 0,0\r\n\r\n+CIPSEND: 1,500\r\n\r\n+CIPSEND: 2,0\r\n"
                + "\r\n+CIPSEND: 3,0\r\n\r\n+CIPSEND: 4,0\r\n\r\n+CIPSEND: 5,0\r\n\r\nOK\r\n");
        host.command("AT+CIPSEND=1,501\r", "\r\nERROR\r\n");
        host.command("AT+CIPSEND=1,500\r", "\r\n> ");
    }

    @Test
    void sendOnAnIdThatIsNotConnectedIsError() throws Exception {
        attached();
        host.command("AT+CIPSEND=2,4\r", "\r\nERROR\r\n");
        host.command("AT+CIPSEND=6,4\r", "\r\nERROR\r\n");
    }

    @Test
    void pushModeSendsReceiveHeaderAndRawData() throws Exception {
        attached();
        Socket peer = open(peer(), 4);
        host.command("AT+CIPRXGET?\r", "\r\n+CIPRXGET: 0\r\n\r\nOK\r\n");
        write(peer, NASTY);
        host.expect("\r\n+RECEIVE,4," + NASTY.length + ":\r\n").expect(NASTY);
        host.command("AT\r", "\r\nOK\r\n");                       // nothing else came after the data
        host.command("AT+CIPRXGET=2,4,100\r", "\r\nERROR\r\n");   // no manual reads in push mode
        assertEquals(new Stats.SocketBytes(0, NASTY.length), sim.stats().socket(4));
    }

    @Test
    void manualReadFramesBinaryDataByLengthOnly() throws Exception {
        attachedManual();
        Socket peer = open(peer(), 0);
        write(peer, NASTY);
        host.expect("\r\n+CIPRXGET: 1,0\r\n");
        assertEquals("\r\n+CIPRXGET: 4,0,10\r\n\r\nOK\r\n", awaitBuffered(0, 10));
        host.send("AT+CIPRXGET=2,0,4\r");
        host.expect("\r\n+CIPRXGET: 2,0,4,6\r\n").expect(new byte[] {'a', '\r', '\n', 0}).expect("\r\nOK\r\n");
        host.send("AT+CIPRXGET=2,0,1460\r");
        host.expect("\r\n+CIPRXGET: 2,0,6,0\r\n").expect(new byte[] {0x1A, 'b', '\r', 0x1B, (byte) 0xFF, '\n'})
                .expect("\r\nOK\r\n");
        host.command("AT+CIPRXGET=2,0,1460\r", "\r\n+CIPRXGET: 2,0,0,0\r\n\r\nOK\r\n");
        host.command("AT+CIPRXGET=4,0\r", "\r\n+CIPRXGET: 4,0,0\r\n\r\nOK\r\n");
    }

    @Test
    void manualReadLimitsAndWrongIds() throws Exception {
        attachedManual();
        open(peer(), 0);
        host.command("AT+CIPRXGET=2,0,1461\r", "\r\nERROR\r\n");
        host.command("AT+CIPRXGET=2,0,0\r", "\r\nERROR\r\n");
        host.command("AT+CIPRXGET=3,0,731\r", "\r\nERROR\r\n");
        host.command("AT+CIPRXGET=2,1,10\r", "\r\nERROR\r\n");    // never opened
        host.command("AT+CIPRXGET=4,6\r", "\r\nERROR\r\n");
    }

    @Test
    void dataReadyUrcOnlyWhenTheBufferGoesFromEmptyToNonEmpty() throws Exception {
        attachedManual();
        Socket peer = open(peer(), 2);
        write(peer, ascii("abc"));
        host.expect("\r\n+CIPRXGET: 1,2\r\n");
        write(peer, ascii("def"));
        // had a second URC been sent, it would precede the answer that shows the new bytes
        assertEquals("\r\n+CIPRXGET: 4,2,6\r\n\r\nOK\r\n", awaitBuffered(2, 6));
        host.command("AT+CIPRXGET=2,2,2\r", "\r\n+CIPRXGET: 2,2,2,4\r\nab\r\nOK\r\n");
        write(peer, ascii("g"));
        assertEquals("\r\n+CIPRXGET: 4,2,5\r\n\r\nOK\r\n", awaitBuffered(2, 5));   // partly read: still no URC
        host.command("AT+CIPRXGET=2,2,1460\r", "\r\n+CIPRXGET: 2,2,5,0\r\ncdefg\r\nOK\r\n");
        write(peer, ascii("h"));
        host.expect("\r\n+CIPRXGET: 1,2\r\n");                                   // empty again: re-armed
    }

    @Test
    void quirkOkAfterDataWithABareLf() throws Exception {
        attachedManual();
        Socket peer = open(peer(), 0);
        sim.control(Sim800Dialect.class, d -> d.okAfterDataWithBareLf(true));
        write(peer, ascii("Cache-C"));
        host.expect("\r\n+CIPRXGET: 1,0\r\n");
        awaitBuffered(0, 7);
        host.command("AT+CIPRXGET=2,0,100\r", "\r\n+CIPRXGET: 2,0,7,0\r\nCache-C\nOK\r\n");
        host.command("AT+CIPRXGET=2,0,100\r", "\r\n+CIPRXGET: 2,0,0,0\r\n\r\nOK\r\n");   // no data: usual framing
    }

    @Test
    void hexRead() throws Exception {
        attachedManual();
        Socket peer = open(peer(), 0);
        write(peer, new byte[] {0, 0x1A, (byte) 0xFF, 'A', '\n'});
        host.expect("\r\n+CIPRXGET: 1,0\r\n");
        awaitBuffered(0, 5);
        host.command("AT+CIPRXGET=3,0,4\r", "\r\n+CIPRXGET: 3,0,4,1\r\n001AFF41\r\nOK\r\n");
        host.command("AT+CIPRXGET=3,0,730\r", "\r\n+CIPRXGET: 3,0,1,0\r\n0A\r\nOK\r\n");
    }

    @Test
    void closeAnswersCloseOkWithoutOk() throws Exception {
        attached();
        LoopbackPeer p = peer();
        Socket peer = open(p, 0);
        host.command("AT+CIPCLOSE=0,1\r", "\r\n0, CLOSE OK\r\n");
        assertEquals(-1, peer.getInputStream().read(), "the peer sees the close");
        host.command("AT+CIPSTATUS=0\r",
                "\r\n+CIPSTATUS: 0,0,\"TCP\",\"127.0.0.1\",\"" + p.port() + "\",\"CLOSED\"\r\n\r\nOK\r\n");
        host.command("AT+CIPCLOSE=0\r", "\r\nERROR\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+CIPCLOSE=0,1\r", "\r\n+CME ERROR: operation not allowed\r\n");
        host.command("AT+CIPSEND=0,1\r", "\r\nERROR\r\n");
        open(p, 0);                                                 // the id can be used again
        host.command("AT+CIPCLOSE=0\r", "\r\n0, CLOSE OK\r\n");     // slow close
    }

    @Test
    void remoteCloseReportsClosedAndTheBufferedDataStaysReadable() throws Exception {
        attachedManual();
        LoopbackPeer p = peer();
        Socket peer = open(p, 1);
        write(peer, ascii("bye"));
        peer.close();
        host.expect("\r\n+CIPRXGET: 1,1\r\n\r\n1, CLOSED\r\n");
        host.command("AT+CIPRXGET=2,1,100\r", "\r\n+CIPRXGET: 2,1,3,0\r\nbye\r\nOK\r\n");
        host.command("AT+CIPRXGET=2,1,100\r", "\r\nERROR\r\n");
        host.command("AT+CIPCLOSE=1\r", "\r\nERROR\r\n");
        open(p, 1);
    }

    @Test
    void alreadyConnect() throws Exception {
        attached();
        LoopbackPeer p = peer();
        open(p, 5);
        host.command("AT+CIPSTART=5,\"TCP\",\"127.0.0.1\"," + p.port() + "\r", "\r\nOK\r\n\r\n5, ALREADY CONNECT\r\n");
    }

    @Test
    void connectFailures() throws Exception {
        attached();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        host.command("AT+CIPSTART=0,\"TCP\",\"127.0.0.1\"," + closedPort + "\r", "\r\nOK\r\n\r\n0, CONNECT FAIL\r\n");
        host.command("AT+CIPSTART=1,\"TCP\",\"192.0.2.1\",80\r", "\r\nOK\r\n\r\n1, CONNECT FAIL\r\n");
        host.command("AT+CIPSTART=2,\"TCP\",\"nowhere.test\",80\r", "\r\nOK\r\n\r\n2, CONNECT FAIL\r\n");
        host.command("AT+CIPSTART=6,\"TCP\",\"127.0.0.1\",80\r", "\r\nERROR\r\n");
        host.command("AT+CIPSTART=3,\"UDP\",\"127.0.0.1\",80\r", "\r\nERROR\r\n");   // UDP not simulated
        host.command("AT+CIPSTART=\"TCP\",\"127.0.0.1\",80\r", "\r\nERROR\r\n");     // single-IP form
        host.command("AT+CIPSTATUS=0\r",
                "\r\n+CIPSTATUS: 0,0,\"TCP\",\"127.0.0.1\",\"" + closedPort + "\",\"CLOSED\"\r\n\r\nOK\r\n");
    }

    @Test
    void connectByNameWithQuotedPortAndAllSixIds() throws Exception {
        attached();
        LoopbackPeer p = peer();
        for (int id = 0; id < 6; id++) {
            host.command("AT+CIPSTART=" + id + ",\"TCP\",\"broker.test\",\"" + p.port() + "\"\r", "\r\nOK\r\n");
            closeables.add(p.accept(Duration.ofSeconds(5)));
            host.expect("\r\n" + id + ", CONNECT OK\r\n");
        }
        host.command("AT+CIPSTATUS=5\r",
                "\r\n+CIPSTATUS: 5,0,\"TCP\",\"127.0.0.1\",\"" + p.port() + "\",\"CONNECTED\"\r\n\r\nOK\r\n");
    }

    @Test
    void sslIsTls10OnlySoTheHandshakeFails() throws Exception {
        attached();
        host.command("AT+CIPSSL=?\r", "\r\n+CIPSSL: (0,1)\r\n\r\nOK\r\n");
        host.command("AT+CIPSSL=1\r", "\r\nOK\r\n");
        host.command("AT+CIPSSL?\r", "\r\n+CIPSSL: 1\r\n\r\nOK\r\n");
        LoopbackPeer p = peer();
        host.command("AT+CIPSTART=0,\"TCP\",\"127.0.0.1\"," + p.port() + "\r", "\r\nOK\r\n");
        Socket s = p.accept(Duration.ofSeconds(5));
        closeables.add(s);
        host.expect("\r\n0, CONNECT FAIL\r\n");
        assertEquals(-1, s.getInputStream().read(), "the modem dropped the connection");
        host.command("AT+CIPSSL=0\r", "\r\nOK\r\n");
        open(p, 0);
        // firmware before R14.18 has no SSL at all
        sim.control(Sim800Dialect.class, d -> d.sslFirmware(false));
        host.command("AT+CIPSSL=?\r", "\r\nERROR\r\n");
        host.command("AT+CIPSSL=1\r", "\r\nERROR\r\n");
    }
}
