package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atmodem.link.Printable;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** A NINA-W simulator on an in-memory link, driven as raw bytes (command mode) or as EDM packets. */
abstract class NinaTestBase {

    /** Every byte that upsets a line reader or a naive EDM reader (start and stop bytes inside data). */
    static final byte[] NASTY = {'a', '\r', '\n', 0, 0x1A, (byte) 0xAA, 0x55, 'b', '\r', 0x1B, (byte) 0xFF, '\n',
        (byte) 0xAA, 0x00, 0x04, 0x55};

    ModemSimulator sim;
    RawHost host;
    final List<AutoCloseable> closeables = new ArrayList<>();

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    RawHost start(ModemSimulator.Builder builder) {
        sim = builder.build();
        host = new RawHost(sim.connectPipe());
        return host;
    }

    /** Powered on ({@code +STARTUP}), echo off. */
    RawHost ready(ModemSimulator.Builder builder) throws IOException {
        start(builder);
        host.expect("\r\n+STARTUP\r\n");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        return host;
    }

    RawHost ready() throws IOException {
        return ready(ModemSimulator.builder("nina-w"));
    }

    /** §4A: configure station 0 for the simulated access point and activate it; returns after {@code +UUNU:0}. */
    void joinWifi() throws IOException {
        configure("atmodem-sim", 2, "atmodem-sim-pass");
        host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n");
        host.expect("\r\n+UUNU:0\r\n");
    }

    void configure(String ssid, int auth, String passphrase) throws IOException {
        host.command("AT+UWSC=0,0,0\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,2,\"" + ssid + "\"\r", "\r\nOK\r\n");
        host.command("AT+UWSC=0,5," + auth + "\r", "\r\nOK\r\n");
        if (passphrase != null) {
            host.command("AT+UWSC=0,8,\"" + passphrase + "\"\r", "\r\nOK\r\n");
        }
        host.command("AT+UWSC=0,100,2\r", "\r\nOK\r\n");
    }

    LoopbackPeer peer() throws IOException {
        LoopbackPeer p = LoopbackPeer.manual();
        closeables.add(p);
        return p;
    }

    LoopbackPeer echoPeer() throws IOException {
        LoopbackPeer p = LoopbackPeer.echo();
        closeables.add(p);
        return p;
    }

    static void write(Socket s, byte[] b) throws IOException {
        OutputStream o = s.getOutputStream();
        o.write(b);
        o.flush();
    }

    // ---- EDM ----

    /** Switches to EDM: {@code OK} in command mode, then the start event. */
    void enterEdm() throws IOException {
        host.command("ATO2\r", "\r\nOK\r\n");
        assertEquals(EdmFrame.at(EdmFrame.START_EVENT, new byte[0]), next());
    }

    void send(EdmFrame f) throws IOException {
        host.send(f.encode());
    }

    /** Sends an AT request packet ({@code \r} added). */
    void request(String command) throws IOException {
        send(EdmFrame.at(EdmFrame.AT_REQUEST, ascii(command + "\r")));
    }

    /** Reads the next packet from the module; fails on anything that is not a well-formed one. */
    EdmFrame next() throws IOException {
        byte[] head = host.read(3);
        if ((head[0] & 0xFF) != EdmFrame.START) {
            throw new AssertionError("not an EDM packet: " + Printable.of(head, 0, 3) + " then "
                    + Printable.of(host.pending(), 0, host.pending().length));
        }
        int len = ((head[1] & 0x0F) << 8) | (head[2] & 0xFF);
        byte[] rest = host.read(len + 1);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head);
        all.writeBytes(rest);
        List<EdmFrame> got = new ArrayList<>();
        EdmDecoder d = new EdmDecoder(got::add);
        byte[] b = all.toByteArray();
        d.accept(b, 0, b.length);
        if (got.size() != 1) {
            throw new AssertionError("malformed EDM packet: " + Printable.of(b, 0, b.length));
        }
        return got.get(0);
    }

    /** Expects an AT response packet with exactly {@code text}. */
    void expectResponse(String text) throws IOException {
        EdmFrame f = next();
        assertEquals(EdmFrame.AT_RESPONSE, f.type(), "expected an AT response, got " + f + ": " + text(f.data()));
        assertEquals(text, text(f.data()));
    }

    /** Expects an AT event packet with the URC {@code urc}. */
    void expectEvent(String urc) throws IOException {
        EdmFrame f = next();
        assertEquals(EdmFrame.AT_EVENT, f.type(), "expected an AT event, got " + f + ": " + text(f.data()));
        assertEquals("\r\n" + urc + "\r\n", text(f.data()));
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
