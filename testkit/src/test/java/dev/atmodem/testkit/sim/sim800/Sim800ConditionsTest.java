package dev.atmodem.testkit.sim.sim800;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the network round trip does to SIM800 answers: connect, normal versus quick send, send buffer. */
class Sim800ConditionsTest extends Sim800TestBase {

    private static final long MS = 1_000_000L;

    private Socket connectWithRtt(int rtt) throws Exception {
        start(ModemSimulator.builder("sim800").rttMillis(rtt));
        host.expect(BANNER);
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        bringUp();
        LoopbackPeer p = peer();
        long t0 = System.nanoTime();
        host.command("AT+CIPSTART=0,\"TCP\",\"127.0.0.1\"," + p.port() + "\r", "\r\nOK\r\n");
        Socket s = p.accept(Duration.ofSeconds(5));
        closeables.add(s);
        host.expect("\r\n0, CONNECT OK\r\n");
        assertTrue(System.nanoTime() - t0 >= (rtt - 20) * MS, "CONNECT OK waits for the TCP handshake");
        return s;
    }

    @Test
    void normalSendWaitsForTheAcknowledgement() throws Exception {
        Socket peer = connectWithRtt(400);
        host.command("AT+CIPSEND=0,4\r", "\r\n> ");
        long t0 = System.nanoTime();
        host.command("ping", "\r\n0, SEND OK\r\n");
        assertTrue(System.nanoTime() - t0 >= 350 * MS, "SEND OK comes a round trip after the data");
        assertArrayEquals("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                LoopbackPeer.readExactly(peer, 4));
    }

    @Test
    void quickSendFillsTheSendBufferUntilSendFail() throws Exception {
        connectWithRtt(1000);   // the data spends half a second on its way: the modem must hold it
        host.command("AT+CIPQSEND=1\r", "\r\nOK\r\n");
        byte[] chunk = new byte[1460];
        int fits = Sim800Dialect.SEND_BUFFER / chunk.length;
        for (int i = 0; i < fits; i++) {
            host.command("AT+CIPSEND=0,1460\r", "\r\n> ");
            host.send(chunk).expect("\r\nDATA ACCEPT:0,1460\r\n");
        }
        host.command("AT+CIPSEND=0,1460\r", "\r\n> ");
        host.send(chunk).expect("\r\n0, SEND FAIL\r\n");
    }
}
