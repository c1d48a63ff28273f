package dev.atmodem.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The far end of the benchmark sockets, on 127.0.0.1. A client sends a 9-byte header (mode, length) and then:
 * <ul>
 *   <li>{@code 'U'} (sink): the server reads {@code length} bytes, records when the last one arrived, and answers one
 *       byte;</li>
 *   <li>{@code 'D'} (source): the server records when it starts, writes {@code length} bytes, then waits for the
 *       client to close;</li>
 *   <li>{@code 'E'} (echo): every byte goes back until the client closes.</li>
 * </ul>
 * The recorded {@link System#nanoTime()} marks are read with {@link #awaitMark} (same JVM, same clock), so that a transfer is
 * timed from its first byte leaving to its last byte arriving, without the round trip of an acknowledgement.
 */
public final class TrafficServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrafficServer.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A time mark of one connection: its header's length and the {@code System.nanoTime()} of the event. */
    public record Mark(char mode, long length, long nanos) {
    }

    private final ServerSocket server;
    private final java.util.List<Mark> marks = new java.util.ArrayList<>();

    public TrafficServer() throws IOException {
        server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "bench-server-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Waits for the mark of the connection whose header said {@code mode} and {@code length}, and removes it. Concurrent
     * transfers use distinct lengths to tell their marks apart.
     */
    public Mark awaitMark(char mode, long length, long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (marks) {
            while (true) {
                for (java.util.Iterator<Mark> it = marks.iterator(); it.hasNext(); ) {
                    Mark m = it.next();
                    if (m.mode() == mode && m.length() == length) {
                        it.remove();
                        return m;
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IOException("the traffic server recorded no '" + mode + "' of " + length
                            + " bytes within " + timeoutMillis + " ms");
                }
                try {
                    marks.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted waiting for the traffic server");
                }
            }
        }
    }

    private void mark(char mode, long length) {
        synchronized (marks) {
            marks.add(new Mark(mode, length, System.nanoTime()));
            marks.notifyAll();
        }
    }

    /** Writes the header that selects what the server does on this connection. */
    public static void header(OutputStream out, char mode, long length) throws IOException {
        // one write: one send command (two would cost SARA a second 50 ms prompt pause)
        out.write(java.nio.ByteBuffer.allocate(9).put((byte) mode).putLong(length).array());
        out.flush();
    }

    /** The byte at {@code position} of every source stream, so that receivers can check what they got. */
    public static byte pattern(long position) {
        return (byte) (position * 31 + (position >>> 8));
    }

    /** {@link #pattern} repeats every 64 KiB: one period, and one buffer more so that any slice is contiguous. */
    private static final int PERIOD = 1 << 16;
    private static final byte[] PATTERN = new byte[PERIOD + 64 * 1024];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = pattern(i);
        }
    }

    /**
     * Fills {@code buf[0..n)} with the pattern from {@code position}: a copy, so that the CPU the benchmarks measure on
     * the application's thread is the library's, not the test data's ({@code n} at most 64 KiB).
     */
    static void fillPattern(byte[] buf, int n, long position) {
        System.arraycopy(PATTERN, (int) (position % PERIOD), buf, 0, n);
    }

    /** The first index in {@code buf[0..n)} that differs from the pattern from {@code position}, or -1. */
    static int mismatchPattern(byte[] buf, int n, long position) {
        int from = (int) (position % PERIOD);
        return java.util.Arrays.mismatch(buf, 0, n, PATTERN, from, from + n);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                log.debug("traffic server stops: {}", e.toString());
                return;
            }
            Thread t = new Thread(() -> serve(s), "bench-server-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            char mode = (char) in.readUnsignedByte();
            long length = in.readLong();
            switch (mode) {
                case 'U' -> sink(s, in, length);
                case 'D' -> source(s, length);
                case 'E' -> echo(s);
                default -> log.warn("traffic server: unknown mode {}", (int) mode);
            }
        } catch (IOException e) {
            log.debug("traffic connection ends: {}", e.toString());
        }
    }

    private void sink(Socket s, InputStream in, long length) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long got = 0;
        while (got < length) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - got));
            if (n < 0) {
                throw new IOException("upload ended after " + got + " of " + length + " bytes");
            }
            got += n;
        }
        mark('U', length);
        s.getOutputStream().write('K');
        s.getOutputStream().flush();
        drain(in);
    }

    private void source(Socket s, long length) throws IOException {
        byte[] buf = new byte[8 * 1024];
        OutputStream out = s.getOutputStream();
        mark('D', length);
        long sent = 0;
        while (sent < length) {
            int n = (int) Math.min(buf.length, length - sent);
            fillPattern(buf, n, sent);
            out.write(buf, 0, n);
            sent += n;
        }
        out.flush();
        drain(s.getInputStream());
    }

    private static void echo(Socket s) throws IOException {
        byte[] buf = new byte[4096];
        InputStream in = s.getInputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
            s.getOutputStream().write(buf, 0, n);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1024];
        while (in.read(buf) >= 0) {
            // wait for the client to close; anything it sends is ignored
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
