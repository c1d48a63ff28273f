package dev.atmodem.testkit.sim.ublox;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** A SARA simulator on an in-memory link with ideal conditions, driven as raw bytes. */
abstract class SaraTestBase {

    /** Every byte that upsets a line-oriented reader, and a quote for the USORD framing. */
    static final byte[] NASTY = {'a', '\r', '\n', 0, 0x1A, '"', 'b', '\r', 0x1B, (byte) 0xFF, '\n', '"'};

    ModemSimulator sim;
    RawHost host;
    final List<AutoCloseable> closeables = new ArrayList<>();

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    RawHost start(ModemSimulator.Builder builder) {
        sim = builder.build();
        host = new RawHost(sim.connectPipe());
        return host;
    }

    /** Powered on (the banner is empty), echo off. */
    RawHost ready(String dialect) throws IOException {
        start(ModemSimulator.builder(dialect));
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        return host;
    }

    /** A SARA-R4 with its context up (it comes up by itself, §3A). */
    RawHost r4() throws IOException {
        return ready("sara-r4");
    }

    /** A SARA-R5 with PSD profile 0 active (§3A). */
    RawHost r5() throws IOException {
        ready("sara-r5");
        activateProfile();
        return host;
    }

    void activateProfile() throws IOException {
        host.command("AT+UPSD=0,0,0\r", "\r\nOK\r\n");
        host.command("AT+UPSD=0,100,1\r", "\r\nOK\r\n");
        host.command("AT+UPSDA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUPSDA: 0,\"10.0.0.2\"\r\n");
    }

    LoopbackPeer peer() throws IOException {
        LoopbackPeer p = LoopbackPeer.manual();
        closeables.add(p);
        return p;
    }

    /** Creates a socket (expecting id {@code id}) and connects it synchronously; returns the peer's side. */
    Socket open(LoopbackPeer p, int id) throws IOException {
        host.command("AT+USOCR=6\r", "\r\n+USOCR: " + id + "\r\n\r\nOK\r\n");
        host.send("AT+USOCO=" + id + ",\"127.0.0.1\"," + p.port() + "\r");
        Socket s = p.accept(Duration.ofSeconds(5));
        closeables.add(s);
        host.expect("\r\nOK\r\n");
        return s;
    }

    static void write(Socket s, byte[] b) throws IOException {
        OutputStream o = s.getOutputStream();
        o.write(b);
        o.flush();
    }

    /** Polls {@code AT+USORD=<id>,0} until the modem holds {@code n} unread bytes. */
    void awaitBuffered(int id, int n) throws IOException {
        String want = "\r\n+USORD: " + id + "," + n + "\r\n\r\nOK\r\n";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            host.send("AT+USORD=" + id + ",0\r");
            String answer = host.readThrough("OK\r\n");
            if (answer.endsWith(want)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("modem never buffered " + n + " bytes; last answer " + answer);
            }
            sleep(5);
        }
    }

    /** The host waits after {@code @} before the data, as §3B asks (the simulator loses bytes that come earlier). */
    static void afterPrompt() {
        sleep(SaraDialect.PROMPT_WAIT_MILLIS + 10);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
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
