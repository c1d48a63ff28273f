package dev.atmodem.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** A link over TCP: a ser2net-style remote serial port, or the simulator's TCP exposure. */
public final class TcpLink implements SerialLink {

    private final Socket socket;
    private final String name;

    private TcpLink(Socket socket, String name) {
        this.socket = socket;
        this.name = name;
    }

    public static TcpLink connect(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to remote serial port tcp://" + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        return new TcpLink(socket, "tcp://" + host + ":" + port);
    }

    /** Wraps an already connected socket (used by servers that expose a simulated modem). */
    public static TcpLink wrap(Socket socket) {
        return new TcpLink(socket, "tcp://" + socket.getRemoteSocketAddress());
    }

    @Override
    public InputStream input() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public OutputStream output() throws IOException {
        return socket.getOutputStream();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
