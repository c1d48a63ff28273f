package dev.atmodem.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The far end of a simulated modem's sockets: a TCP server on 127.0.0.1 that a test scripts by hand
 * ({@link #accept}), or that echoes every byte back ({@link #echo()}).
 */
public final class LoopbackPeer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoopbackPeer.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ServerSocket server;

    private LoopbackPeer() throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** A server whose connections a test accepts and drives itself. */
    public static LoopbackPeer manual() throws IOException {
        return new LoopbackPeer();
    }

    /** A server that echoes every byte on every connection until closed. */
    public static LoopbackPeer echo() throws IOException {
        LoopbackPeer p = new LoopbackPeer();
        Thread t = new Thread(p::echoLoop, "loopback-echo-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return p;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Waits for the next connection. */
    public Socket accept(Duration timeout) throws IOException {
        server.setSoTimeout((int) timeout.toMillis());
        try {
            Socket s = server.accept();
            s.setTcpNoDelay(true);
            return s;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no connection to 127.0.0.1:" + port() + " within " + timeout.toMillis()
                    + " ms", e);
        }
    }

    /** Reads exactly {@code n} bytes from a socket (with its SO_TIMEOUT, default 5 s). */
    public static byte[] readExactly(Socket s, int n) throws IOException {
        if (s.getSoTimeout() == 0) {
            s.setSoTimeout(5000);
        }
        byte[] b = new byte[n];
        InputStream in = s.getInputStream();
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new AssertionError("peer connection ended after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return b;
    }

    private void echoLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> echoOne(s), "loopback-echo-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                log.debug("echo server stops: {}", e.toString());
                return;
            }
        }
    }

    private static void echoOne(Socket s) {
        try (s) {
            byte[] buf = new byte[4096];
            InputStream in = s.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                s.getOutputStream().write(buf, 0, n);
            }
        } catch (IOException e) {
            log.debug("echo connection ends: {}", e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
