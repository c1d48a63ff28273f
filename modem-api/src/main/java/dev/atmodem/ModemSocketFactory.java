package dev.atmodem;

import dev.atmodem.socket.SocketEngine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} whose sockets go through the modem: hand it to Paho ({@code options.setSocketFactory}),
 * OkHttp ({@code builder.socketFactory}) or Apache HttpClient. Host names are dialled by name, so DNS happens on the
 * modem.
 */
public final class ModemSocketFactory extends SocketFactory {

    private final SocketEngine engine;

    ModemSocketFactory(SocketEngine engine) {
        this.engine = engine;
    }

    /** An unconnected socket; {@code connect()} dials through the modem. */
    @Override
    public Socket createSocket() throws SocketException {
        return new ModemSocket(engine);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        ModemSocket s = new ModemSocket(engine);
        try {
            s.connect(InetSocketAddress.createUnresolved(host, port));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Local binding is not possible through a modem: {@code localHost} must be null or the wildcard, port 0. */
    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        checkLocal(localHost, localPort);
        return createSocket(host, port);
    }

    /** Dials the address's host string: the name it was made with, or its IP literal; never a reverse lookup. */
    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(new InetSocketAddress(host, port).getHostString(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        checkLocal(localAddress, localPort);
        return createSocket(address, port);
    }

    private static void checkLocal(InetAddress localHost, int localPort) throws SocketException {
        if (localPort != 0 || localHost != null && !localHost.isAnyLocalAddress()) {
            throw new SocketException("binding a local address or port is not supported by modem sockets");
        }
    }
}
