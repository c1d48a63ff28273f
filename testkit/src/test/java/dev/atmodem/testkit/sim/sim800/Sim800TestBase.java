package dev.atmodem.testkit.sim.sim800;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** A SIM800 simulator on an in-memory link with ideal conditions, driven as raw bytes. */
abstract class Sim800TestBase {

    static final String BANNER =
            "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n";
    /** Every byte that upsets a line-oriented reader. */
    static final byte[] NASTY = {'a', '\r', '\n', 0, 0x1A, 'b', '\r', 0x1B, (byte) 0xFF, '\n'};

    ModemSimulator sim;
    RawHost host;
    final List<AutoCloseable> closeables = new ArrayList<>();

    RawHost start(ModemSimulator.Builder builder) throws IOException {
        sim = builder.build();
        host = new RawHost(sim.connectPipe());
        return host;
    }

    /** Powered on, banner read, echo off. */
    RawHost ready() throws IOException {
        start(ModemSimulator.builder("sim800"));
        host.expect(BANNER);
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        return host;
    }

    /** Multi-IP mode, context up, IP STATUS (the TinyGSM order, AT-REFERENCE §2A). */
    RawHost attached() throws IOException {
        ready();
        bringUp();
        return host;
    }

    void bringUp() throws IOException {
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\",\"\",\"\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");
    }

    /** Plus manual receive ({@code AT+CIPRXGET=1}). */
    RawHost attachedManual() throws IOException {
        ready();
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        host.command("AT+CIPRXGET=1\r", "\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");
        return host;
    }

    LoopbackPeer peer() throws IOException {
        LoopbackPeer p = LoopbackPeer.manual();
        closeables.add(p);
        return p;
    }

    /** Opens connection {@code id} to the peer; returns the peer's side. */
    Socket open(LoopbackPeer p, int id) throws IOException {
        host.command("AT+CIPSTART=" + id + ",\"TCP\",\"127.0.0.1\"," + p.port() + "\r", "\r\nOK\r\n");
        Socket s = p.accept(Duration.ofSeconds(5));
        closeables.add(s);
        host.expect("\r\n" + id + ", CONNECT OK\r\n");
        return s;
    }

    static void write(Socket s, byte[] b) throws IOException {
        OutputStream o = s.getOutputStream();
        o.write(b);
        o.flush();
    }

    /** Polls {@code AT+CIPRXGET=4,id} until the modem holds {@code n} unread bytes; returns its exact answer. */
    String awaitBuffered(int id, int n) throws IOException {
        String want = "+CIPRXGET: 4," + id + "," + n + "\r\n";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            host.send("AT+CIPRXGET=4," + id + "\r");
            String answer = host.readThrough("OK\r\n");
            if (answer.contains(want)) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("modem never buffered " + n + " bytes; last answer " + answer);
            }
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        if (host != null) {
            host.close();
        }
        if (sim != null) {
            sim.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }
}
