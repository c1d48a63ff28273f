package dev.atmodem.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One bulk transfer through a modem socket to or from the {@link TrafficServer}, timed from the first payload byte
 * leaving to the last one arriving, with the serial bytes the line carried meanwhile.
 *
 * @param payload bytes of payload moved
 * @param start   {@link System#nanoTime()} when the first payload byte left
 * @param nanos   how long it took
 * @param line    serial bytes each way during the transfer (all sockets of the modem, if several ran at once)
 */
public record Transfer(long payload, long start, long nanos, Rig.Line line) {

    static final int TIMEOUT_MILLIS = 120_000;

    /** Payload bytes per second. */
    public double rate() {
        return payload * 1e9 / nanos;
    }

    /** Opens a modem socket to the traffic server. */
    static Socket open(Rig rig, TrafficServer server) throws IOException {
        Socket s = rig.modem().socketFactory().createSocket("127.0.0.1", server.port());
        s.setSoTimeout(TIMEOUT_MILLIS);
        return s;
    }

    /** Sends {@code length} bytes; the time ends when the server has the last one. */
    static Transfer upload(Rig rig, TrafficServer server, long length) throws IOException {
        try (Socket s = open(rig, server)) {
            return upload(rig, server, s, length);
        }
    }

    static Transfer upload(Rig rig, TrafficServer server, Socket s, long length) throws IOException {
        OutputStream out = s.getOutputStream();
        TrafficServer.header(out, 'U', length);
        Rig.Line l0 = rig.line();
        long t0 = System.nanoTime();
        byte[] buf = new byte[8 * 1024];
        long sent = 0;
        while (sent < length) {
            int n = (int) Math.min(buf.length, length - sent);
            TrafficServer.fillPattern(buf, n, sent);
            out.write(buf, 0, n);
            sent += n;
        }
        out.flush();
        TrafficServer.Mark m = server.awaitMark('U', length, TIMEOUT_MILLIS);
        Rig.Line l1 = rig.line();
        int ack = s.getInputStream().read();
        if (ack != 'K') {
            throw new IOException("the server did not acknowledge the upload (got " + ack + ")");
        }
        return new Transfer(length, t0, m.nanos() - t0, l1.minus(l0));
    }

    /** Receives {@code length} bytes and checks them; the time starts when the server starts sending. */
    static Transfer download(Rig rig, TrafficServer server, long length) throws IOException {
        try (Socket s = open(rig, server)) {
            return download(rig, server, s, length);
        }
    }

    static Transfer download(Rig rig, TrafficServer server, Socket s, long length) throws IOException {
        TrafficServer.header(s.getOutputStream(), 'D', length);
        Rig.Line l0 = rig.line();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8 * 1024];
        long got = 0;
        while (got < length) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - got));
            if (n < 0) {
                throw new IOException("download ended after " + got + " of " + length + " bytes");
            }
            int bad = TrafficServer.mismatchPattern(buf, n, got);
            if (bad >= 0) {
                throw new IOException("download corrupted at byte " + (got + bad));
            }
            got += n;
        }
        long t1 = System.nanoTime();
        Rig.Line l1 = rig.line();
        TrafficServer.Mark m = server.awaitMark('D', length, TIMEOUT_MILLIS);
        return new Transfer(length, m.nanos(), t1 - m.nanos(), l1.minus(l0));
    }
}
