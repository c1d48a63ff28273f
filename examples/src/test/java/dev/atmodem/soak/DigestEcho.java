package dev.atmodem.soak;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An echo server on 127.0.0.1 for one connection that keeps the SHA-256 of every byte it received: the far end's
 * half of a "SHA-256 on both ends" check (what the network saw, not only what came back).
 */
final class DigestEcho implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DigestEcho.class);

    private final ServerSocket server;
    private final MessageDigest digest = sha256();
    private long received;
    private volatile Socket connection;

    DigestEcho() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "digest-echo-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes received so far. */
    synchronized long received() {
        return received;
    }

    /** SHA-256 (hex) of the bytes received so far. */
    synchronized String sha256Hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void serve() {
        try (Socket s = server.accept()) {
            connection = s;
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (this) {
                    digest.update(buf, 0, n);
                    received += n;
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            log.debug("digest echo on port {} ends: {}", port(), e.toString());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket c = connection;
        if (c != null) {
            c.close();
        }
    }
}
