package dev.atmodem.testkit.sim.bg96;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** A BG96 simulator on an in-memory link with ideal conditions, driven as raw bytes. */
abstract class Bg96TestBase {

    static final String BANNER = "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nAPP RDY\r\n";

    ModemSimulator sim;
    RawHost host;
    final List<AutoCloseable> closeables = new ArrayList<>();

    RawHost start(ModemSimulator.Builder builder) throws IOException {
        sim = builder.build();
        host = new RawHost(sim.connectPipe());
        return host;
    }

    /** Powered on, banner read, echo off, verbose errors. */
    RawHost ready() throws IOException {
        start(ModemSimulator.builder("bg96"));
        host.expect(BANNER);
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        return host;
    }

    /** Plus an active PDP context 1. */
    RawHost attached() throws IOException {
        ready();
        host.command("AT+QICSGP=1,1,\"internet\",\"\",\"\",1\r", "\r\nOK\r\n");
        host.command("AT+QIACT=1\r", "\r\nOK\r\n");
        return host;
    }

    LoopbackPeer peer() throws IOException {
        LoopbackPeer p = LoopbackPeer.manual();
        closeables.add(p);
        return p;
    }

    /** Opens socket {@code id} to the peer (buffer mode unless {@code mode} says otherwise), returns the peer side. */
    Socket open(LoopbackPeer p, int id, int mode) throws IOException {
        host.command("AT+QIOPEN=1," + id + ",\"TCP\",\"127.0.0.1\"," + p.port() + ",0," + mode + "\r",
                "\r\nOK\r\n");
        Socket s = p.accept(Duration.ofSeconds(5));
        closeables.add(s);
        host.expect("\r\n+QIOPEN: " + id + ",0\r\n");
        return s;
    }

    /** Polls {@code AT+QIRD=id,0} until the modem has received {@code total} bytes; returns its exact answer. */
    String awaitReceived(int id, long total) throws IOException {
        String want = "+QIRD: " + total + ",";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            host.send("AT+QIRD=" + id + ",0\r");
            String answer = host.readThrough("OK\r\n");
            if (answer.contains(want)) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("modem never received " + total + " bytes; last answer " + answer);
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
