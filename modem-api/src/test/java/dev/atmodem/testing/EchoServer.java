package dev.atmodem.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real TCP server on 127.0.0.1 that echoes every byte, optionally sending a greeting and hanging up after it. */
public final class EchoServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final byte[] greeting;
    private final boolean hangUpAfterGreeting;

    public EchoServer() throws IOException {
        this(null, false);
    }

    /** Sends {@code greeting} to every client, then echoes (or closes, if {@code hangUpAfterGreeting}). */
    public EchoServer(byte[] greeting, boolean hangUpAfterGreeting) throws IOException {
        this.greeting = greeting;
        this.hangUpAfterGreeting = hangUpAfterGreeting;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "echo-server");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.add(s);
                Thread t = new Thread(() -> serve(s), "echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            OutputStream out = s.getOutputStream();
            if (greeting != null) {
                out.write(greeting);
                out.flush();
                if (hangUpAfterGreeting) {
                    return;
                }
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
