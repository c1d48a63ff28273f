package dev.atmodem.testkit.sim.bg96;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Sockets, byte for byte against AT-REFERENCE §1B/§1C/§1E and QUIRKS 3, 11, 12. */
class Bg96SocketTest extends Bg96TestBase {

    /** Every byte that upsets a line-oriented reader. */
    static final byte[] NASTY = {'a', '\r', '\n', 0, 0x1A, 'b', '\r', 0x1B, (byte) 0xFF, '\n'};

    @Test
    void openSendReadClose() throws Exception {
        attached();
        LoopbackPeer p = peer();
        Socket peer = open(p, 0, 0);
        host.command("AT+QISEND=0,5\r", "\r\n> ");
        host.command("hello", "\r\nSEND OK\r\n");
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), LoopbackPeer.readExactly(peer, 5));

        write(peer, "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII));
        host.expect("\r\n+QIURC: \"recv\",0\r\n");
        host.command("AT+QIRD=0,1500\r", "\r\n+QIRD: 12\r\nHTTP/1.1 200\r\n\r\nOK\r\n");
        host.command("AT+QIRD=0,1500\r", "\r\n+QIRD: 0\r\n\r\nOK\r\n");
        host.command("AT+QIRD=0,0\r", "\r\n+QIRD: 12,12,0\r\n\r\nOK\r\n");
        host.command("AT+QICLOSE=0\r", "\r\nOK\r\n");
        assertEquals(-1, peer.getInputStream().read(), "the peer sees the close");
        host.command("AT+QIRD=0\r", "\r\nERROR\r\n");
        assertEquals(new dev.atmodem.testkit.sim.Stats.SocketBytes(5, 12), sim.stats().socket(0));
    }

    @Test
    void payloadsAreBinaryExactBothWays() throws Exception {
        attached();
        LoopbackPeer p = peer();
        Socket peer = open(p, 3, 0);
        host.command("AT+QISEND=3," + NASTY.length + "\r", "\r\n> ");
        host.send(NASTY).expect("\r\nSEND OK\r\n");
        assertArrayEquals(NASTY, LoopbackPeer.readExactly(peer, NASTY.length));

        write(peer, NASTY);
        host.expect("\r\n+QIURC: \"recv\",3\r\n");
        host.send("AT+QIRD=3\r");
        host.expect("\r\n+QIRD: " + NASTY.length + "\r\n").expect(NASTY).expect("\r\n\r\nOK\r\n");
    }

    @Test
    void strayCtrlZAfterFixedLengthSendIsTolerated() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        host.command("AT+QISEND=0,3\r", "\r\n> ");
        host.send("abc\u001a").expect("\r\nSEND OK\r\n");
        host.command("AT\r", "\r\nOK\r\n");
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), LoopbackPeer.readExactly(peer, 3));
    }

    @Test
    void variableLengthSendEndsAtCtrlZ() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        host.command("AT+QISEND=0\r", "\r\n> ");
        host.send("xyz\u001a").expect("\r\nSEND OK\r\n");
        assertArrayEquals("xyz".getBytes(StandardCharsets.US_ASCII), LoopbackPeer.readExactly(peer, 3));
    }

    @Test
    void escCancelsAVariableLengthSend() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        host.command("AT+QISEND=0\r", "\r\n> ");
        host.send("never\u001b").expect("\r\nOK\r\n");
        host.command("AT+QISEND=0,0\r", "\r\n+QISEND: 0,0,0\r\n\r\nOK\r\n");
        assertEquals(0, peer.getInputStream().available());
    }

    @Test
    void sendLimitIs1460() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        host.command("AT+QISEND=0,1461\r", "\r\nERROR\r\n");
        byte[] big = new byte[1460];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        host.command("AT+QISEND=0,1460\r", "\r\n> ");
        host.send(big).expect("\r\nSEND OK\r\n");
        assertArrayEquals(big, LoopbackPeer.readExactly(peer, big.length));
    }

    @Test
    void sendQueryReportsTotalAckedUnacked() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        host.command("AT+QISEND=0,0\r", "\r\n+QISEND: 0,0,0\r\n\r\nOK\r\n");
        host.command("AT+QISEND=0,4\r", "\r\n> ");
        host.command("ping", "\r\nSEND OK\r\n");
        LoopbackPeer.readExactly(peer, 4);
        // acknowledgement follows delivery; poll until the modem counts it
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String answer;
        do {
            host.send("AT+QISEND=0,0\r");
            answer = host.readThrough("OK\r\n");
            Matcher m = Pattern.compile("\r\n\\+QISEND: 4,(\\d),(\\d)\r\n\r\nOK\r\n").matcher(answer);
            assertTrue(m.matches(), answer);
            assertEquals(4, Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)));
        } while (!answer.contains("+QISEND: 4,4,0") && System.nanoTime() < deadline);
        assertEquals("\r\n+QISEND: 4,4,0\r\n\r\nOK\r\n", answer);
    }

    @Test
    void sendOnAMissingSocketIsError() throws Exception {
        attached();
        host.command("AT+QISEND=5,3\r", "\r\nERROR\r\n");
        host.command("AT+QISEND=12,3\r", "\r\nERROR\r\n");
    }

    @Test
    void injectedSendFailures() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        sim.faults().failNextSends(2);
        for (int i = 0; i < 2; i++) {
            host.command("AT+QISEND=0,3\r", "\r\n> ");
            host.command("bad", "\r\nSEND FAIL\r\n");
        }
        host.command("AT+QISEND=0,4\r", "\r\n> ");
        host.command("good", "\r\nSEND OK\r\n");
        assertArrayEquals("good".getBytes(StandardCharsets.US_ASCII), LoopbackPeer.readExactly(peer, 4));
    }

    @Test
    void sendFailWhenTheSendBufferIsFull() throws Exception {
        attached();
        LoopbackPeer p = peer();
        Socket peer = open(p, 0, 0);
        peer.setReceiveBufferSize(4096);
        byte[] chunk = new byte[1460];
        int sends = 0;
        String last;
        do {
            host.send("AT+QISEND=0,1460\r").expect("\r\n> ");
            host.send(chunk);
            host.expect("\r\nSEND ");
            last = host.readThrough("\r\n");
            sends++;
        } while (last.equals("OK\r\n") && sends < 20_000);
        assertEquals("FAIL\r\n", last, "a peer that never reads fills the send buffer");
        assertTrue(sends > 1);
    }

    @Test
    void readLimitIs1500AndQueryTriplet() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        byte[] data = new byte[3200];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        write(peer, data);
        host.expect("\r\n+QIURC: \"recv\",0\r\n");
        awaitReceived(0, 3200);
        host.command("AT+QIRD=0,1501\r", "\r\nERROR\r\n");
        host.send("AT+QIRD=0\r").expect("\r\n+QIRD: 1500\r\n").expect(java.util.Arrays.copyOfRange(data, 0, 1500))
                .expect("\r\n\r\nOK\r\n");
        host.command("AT+QIRD=0,0\r", "\r\n+QIRD: 3200,1500,1700\r\n\r\nOK\r\n");
        host.send("AT+QIRD=0,1500\r").expect("\r\n+QIRD: 1500\r\n")
                .expect(java.util.Arrays.copyOfRange(data, 1500, 3000)).expect("\r\n\r\nOK\r\n");
        host.send("AT+QIRD=0,1500\r").expect("\r\n+QIRD: 200\r\n")
                .expect(java.util.Arrays.copyOfRange(data, 3000, 3200)).expect("\r\n\r\nOK\r\n");
        host.command("AT+QIRD=0,0\r", "\r\n+QIRD: 3200,3200,0\r\n\r\nOK\r\n");
    }

    @Test
    void recvUrcOnlyOnEmptyToNonEmpty() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        write(peer, "first".getBytes(StandardCharsets.US_ASCII));
        host.expect("\r\n+QIURC: \"recv\",0\r\n");
        write(peer, "second".getBytes(StandardCharsets.US_ASCII));
        // the buffer was not empty: no second URC may precede this answer
        assertEquals("\r\n+QIRD: 11,0,11\r\n\r\nOK\r\n", awaitReceived(0, 11));
        host.command("AT+QIRD=0,3\r", "\r\n+QIRD: 3\r\nfir\r\n\r\nOK\r\n");
        write(peer, "third".getBytes(StandardCharsets.US_ASCII));
        assertEquals("\r\n+QIRD: 16,3,13\r\n\r\nOK\r\n", awaitReceived(0, 16));
        host.command("AT+QIRD=0\r", "\r\n+QIRD: 13\r\nstsecondthird\r\n\r\nOK\r\n");
        // drained: the next data raises the URC again
        write(peer, "4".getBytes(StandardCharsets.US_ASCII));
        host.expect("\r\n+QIURC: \"recv\",0\r\n");
        host.command("AT+QIRD=0\r", "\r\n+QIRD: 1\r\n4\r\n\r\nOK\r\n");
    }

    @Test
    void directPushMode() throws Exception {
        attached();
        Socket peer = open(peer(), 1, 1);
        write(peer, NASTY);
        host.expect("\r\n+QIURC: \"recv\",1," + NASTY.length + "\r\n").expect(NASTY).expect("\r\n");
        host.command("AT+QIRD=1\r", "\r\nERROR\r\n");
    }

    @Test
    void reusedIdIs563UntilClosedAndRemoteCloseKeepsData() throws Exception {
        attached();
        LoopbackPeer p = peer();
        Socket peer = open(p, 0, 0);
        host.command("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + p.port() + ",0,0\r",
                "\r\nOK\r\n\r\n+QIOPEN: 0,563\r\n");
        host.command("AT+QIGETERROR\r", "\r\n+QIGETERROR: 563,Socket identity has been used\r\n\r\nOK\r\n");
        write(peer, "bye".getBytes(StandardCharsets.US_ASCII));
        host.expect("\r\n+QIURC: \"recv\",0\r\n");
        peer.close();
        host.expect("\r\n+QIURC: \"closed\",0\r\n");
        String state = "\r\n+QISTATE: 0,\"TCP\",\"127.0.0.1\"," + p.port() + ",";
        String answer = host.send("AT+QISTATE=1,0\r").readThrough("OK\r\n");
        assertTrue(answer.startsWith(state) && answer.endsWith(",4,1,0,0,\"uart1\"\r\n\r\nOK\r\n"), answer);
        // still readable after the close (QUIRKS 12), still blocking the id
        host.command("AT+QIRD=0\r", "\r\n+QIRD: 3\r\nbye\r\n\r\nOK\r\n");
        host.command("AT+QISEND=0,1\r", "\r\nERROR\r\n");
        host.command("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + p.port() + ",0,0\r",
                "\r\nOK\r\n\r\n+QIOPEN: 0,563\r\n");
        host.command("AT+QICLOSE=0\r", "\r\nOK\r\n");
        host.command("AT+QISTATE?\r", "\r\nOK\r\n");
        open(p, 0, 0);
    }

    @Test
    void stateListsOpenSockets() throws Exception {
        attached();
        LoopbackPeer p = peer();
        Socket a = open(p, 2, 0);
        Socket b = open(p, 7, 1);
        String answer = host.send("AT+QISTATE?\r").readThrough("OK\r\n");
        String line2 = "\r\n+QISTATE: 2,\"TCP\",\"127.0.0.1\"," + p.port() + "," + a.getPort()
                + ",2,1,0,0,\"uart1\"\r\n";
        String line7 = "\r\n+QISTATE: 7,\"TCP\",\"127.0.0.1\"," + p.port() + "," + b.getPort()
                + ",2,1,0,1,\"uart1\"\r\n";
        assertEquals(line2 + line7 + "\r\nOK\r\n", answer);
        host.command("AT+QISTATE=1,7\r", line7 + "\r\nOK\r\n");
        host.command("AT+QISTATE=0,1\r", line2 + line7 + "\r\nOK\r\n");
        host.command("AT+QISTATE=0,2\r", "\r\nOK\r\n");
    }

    @Test
    void openFailures() throws Exception {
        ready();
        host.command("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",80,0,0\r", "\r\nOK\r\n\r\n+QIOPEN: 0,561\r\n");
        host.command("AT+QICSGP=1,1,\"internet\",\"\",\"\",1\r", "\r\nOK\r\n");
        host.command("AT+QIACT=1\r", "\r\nOK\r\n");
        // outside 127.0.0.0/8: refused, nothing leaves the machine
        host.command("AT+QIOPEN=1,0,\"TCP\",\"93.184.216.34\",80,0,0\r", "\r\nOK\r\n\r\n+QIOPEN: 0,566\r\n");
        host.command("AT+QIOPEN=1,0,\"TCP\",\"nowhere.test\",80,0,0\r", "\r\nOK\r\n\r\n+QIOPEN: 0,565\r\n");
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        host.command("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + closedPort + ",0,0\r",
                "\r\nOK\r\n\r\n+QIOPEN: 0,566\r\n");
        host.command("AT+QIGETERROR\r", "\r\n+QIGETERROR: 566,Socket connect failed\r\n\r\nOK\r\n");
        host.command("AT+QIOPEN=1,0,\"UDP\",\"127.0.0.1\",53,0,0\r", "\r\nOK\r\n\r\n+QIOPEN: 0,555\r\n");
        host.command("AT+QIOPEN=1,12,\"TCP\",\"127.0.0.1\",53,0,0\r", "\r\nERROR\r\n");
    }

    @Test
    void nameTableServesQiopenAndDnsgip() throws Exception {
        attached();
        LoopbackPeer p = peer();
        sim.names().put("mqtt.example.test", "127.0.0.1");
        host.command("AT+QIOPEN=1,4,\"TCP\",\"mqtt.example.test\"," + p.port() + ",0,0\r", "\r\nOK\r\n");
        closeables.add(p.accept(Duration.ofSeconds(5)));
        host.expect("\r\n+QIOPEN: 4,0\r\n");
        host.command("AT+QIDNSGIP=1,\"broker.test\"\r",
                "\r\nOK\r\n\r\n+QIURC: \"dnsgip\",0,1,600\r\n\r\n+QIURC: \"dnsgip\",\"127.0.0.1\"\r\n");
        sim.names().put("multi.test", "127.0.0.2", "127.0.0.3");
        host.command("AT+QIDNSGIP=1,\"multi.test\"\r", "\r\nOK\r\n\r\n+QIURC: \"dnsgip\",0,2,600\r\n"
                + "\r\n+QIURC: \"dnsgip\",\"127.0.0.2\"\r\n\r\n+QIURC: \"dnsgip\",\"127.0.0.3\"\r\n");
        host.command("AT+QIDNSGIP=1,\"unknown.test\"\r", "\r\nOK\r\n\r\n+QIURC: \"dnsgip\",565\r\n");
        host.command("AT+QIGETERROR\r", "\r\n+QIGETERROR: 565,DNS parse failed\r\n\r\nOK\r\n");
    }

    @Test
    void deactivationDropsSockets() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        host.command("AT+QIDEACT=1\r", "\r\nOK\r\n");
        assertEquals(-1, peer.getInputStream().read());
        host.command("AT+QISTATE?\r", "\r\nOK\r\n");
    }

    static void write(Socket s, byte[] b) throws IOException {
        OutputStream o = s.getOutputStream();
        o.write(b);
        o.flush();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
