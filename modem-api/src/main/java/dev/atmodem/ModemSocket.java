package dev.atmodem;

import dev.atmodem.at.AtTimeoutException;
import dev.atmodem.socket.SocketEngine;
import dev.atmodem.socket.SocketHandle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;

/**
 * A TCP connection made by the modem, as an ordinary {@link Socket}, so that TLS layers, MQTT and HTTP clients use it
 * unchanged.
 *
 * <p>What differs from a kernel socket, on purpose: {@link #connect} sends the host <em>name</em> to the modem
 * ({@link InetSocketAddress#getHostString()}; no DNS and never reverse DNS on the host); local binding, TCP options
 * and buffer sizes belong to the modem's stack and are accepted but have no effect; {@link #shutdownOutput()} only
 * shuts the local side because modems offer no TCP half-close.
 */
public class ModemSocket extends Socket {

    private final SocketEngine engine;
    private final Object stateLock = new Object();
    private volatile SocketHandle handle;
    private volatile boolean closed;
    private boolean connecting;
    private volatile int soTimeout;
    private volatile InetSocketAddress remote;
    private volatile InputStream in;
    private volatile OutputStream out;

    ModemSocket(SocketEngine engine) throws SocketException {
        super((SocketImpl) null);
        this.engine = engine;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /**
     * Dials {@code endpoint} through the modem. An unresolved address is fine and preferred: the modem resolves it.
     * {@code timeout} 0 means the configured connect timeout.
     */
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress isa)) {
            throw new IllegalArgumentException("Unsupported address type: " + endpoint);
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("connect: timeout can't be negative");
        }
        synchronized (stateLock) {
            if (closed) {
                throw new SocketException("Socket is closed");
            }
            if (handle != null || connecting) {
                throw new SocketException("already connected");
            }
            connecting = true;
        }
        SocketHandle h;
        try {
            h = engine.connect(isa.getHostString(), isa.getPort(),
                    timeout == 0 ? null : Duration.ofMillis(timeout), this::isClosed);
        } catch (ModemException e) {
            throw timedOut(e) ? socketTimeout(e) : e;
        } finally {
            synchronized (stateLock) {
                connecting = false;
            }
        }
        synchronized (stateLock) {
            if (closed) {
                h.close();
                throw new SocketException("Socket closed during connect");
            }
            // Streams and address first, the handle last: isConnected() true means everything is there.
            remote = isa;
            in = new ModemSocketInput(this, h);
            out = new ModemSocketOutput(this, h);
            handle = h;
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AtTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A connect that ran out of time is a SocketTimeoutException, as with a kernel socket. */
    private static SocketTimeoutException socketTimeout(ModemException e) {
        SocketTimeoutException t = new SocketTimeoutException(e.getMessage());
        t.initCause(e);
        return t;
    }

    private SocketHandle connected() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        SocketHandle h = handle;
        if (h == null) {
            throw new SocketException("Socket is not connected");
        }
        return h;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        connected();
        if (isInputShutdown()) {
            throw new SocketException("Socket input is shutdown");
        }
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        connected();
        if (isOutputShutdown()) {
            throw new SocketException("Socket output is shutdown");
        }
        return out;
    }

    int soTimeoutMillis() {
        return soTimeout;
    }

    /** Closes the socket; a read or write blocked in another thread fails at once with a SocketException. */
    @Override
    public void close() {
        SocketHandle h;
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            h = handle;
        }
        if (h != null) {
            h.close();
        }
    }

    @Override
    public boolean isConnected() {
        return handle != null;
    }

    @Override
    public boolean isBound() {
        return handle != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private boolean inputShut;
    private boolean outputShut;

    @Override
    public void shutdownInput() throws IOException {
        SocketHandle h = connected();
        inputShut = true;
        h.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        SocketHandle h = connected();
        outputShut = true;
        h.shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        return inputShut;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut;
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout can't be negative");
        }
        soTimeout = timeout;
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        return soTimeout;
    }

    /**
     * The remote address as the caller gave it. When the modem resolved a name, the host never learns the IP, so the
     * address carries the name with the placeholder IP 0.0.0.0 (made without any DNS lookup).
     */
    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress r = remote;
        if (r == null) {
            return null;
        }
        if (!r.isUnresolved()) {
            return r.getAddress();
        }
        try {
            return InetAddress.getByAddress(r.getHostString(), new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int getPort() {
        InetSocketAddress r = remote;
        return r == null ? 0 : r.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote;
    }

    /** The modem's local address is not known to the host: the wildcard address. */
    @Override
    public InetAddress getLocalAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int getLocalPort() {
        return handle == null ? -1 : 0;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return handle == null ? null : new InetSocketAddress(getLocalAddress(), 0);
    }

    /** Binding a local address is not possible through a modem; only the wildcard with port 0 is accepted. */
    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        if (bindpoint instanceof InetSocketAddress isa && (isa.getPort() != 0
                || isa.getAddress() != null && !isa.getAddress().isAnyLocalAddress())) {
            throw new SocketException("binding a local address or port is not supported by modem sockets");
        }
    }

    // TCP options belong to the modem's stack: accepted for compatibility, no effect.
    private boolean tcpNoDelay = true;
    private boolean keepAlive;
    private int linger = -1;

    @Override
    public void setTcpNoDelay(boolean on) {
        tcpNoDelay = on;
    }

    @Override
    public boolean getTcpNoDelay() {
        return tcpNoDelay;
    }

    @Override
    public void setKeepAlive(boolean on) {
        keepAlive = on;
    }

    @Override
    public boolean getKeepAlive() {
        return keepAlive;
    }

    @Override
    public void setSoLinger(boolean on, int seconds) {
        linger = on ? seconds : -1;
    }

    @Override
    public int getSoLinger() {
        return linger;
    }

    @Override
    public void setOOBInline(boolean on) {
        // no urgent data through a modem
    }

    @Override
    public boolean getOOBInline() {
        return false;
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data is not supported by modem sockets");
    }

    @Override
    public void setSendBufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("negative send size");
        }
    }

    @Override
    public int getSendBufferSize() {
        return engine.capabilities().maxSendChunk();
    }

    @Override
    public void setReceiveBufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("invalid receive size");
        }
    }

    @Override
    public int getReceiveBufferSize() {
        return engine.capabilities().maxReadChunk();
    }

    @Override
    public void setTrafficClass(int tc) {
        // the modem's stack decides
    }

    @Override
    public int getTrafficClass() {
        return 0;
    }

    @Override
    public void setReuseAddress(boolean on) {
        // meaningless for modem sockets
    }

    @Override
    public boolean getReuseAddress() {
        return false;
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) {
        if (name == StandardSocketOptions.TCP_NODELAY) {
            tcpNoDelay = (Boolean) value;
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            keepAlive = (Boolean) value;
        } else {
            throw new UnsupportedOperationException("'" + name + "' not supported by modem sockets");
        }
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        if (name == StandardSocketOptions.TCP_NODELAY) {
            return (T) Boolean.valueOf(tcpNoDelay);
        }
        if (name == StandardSocketOptions.SO_KEEPALIVE) {
            return (T) Boolean.valueOf(keepAlive);
        }
        throw new UnsupportedOperationException("'" + name + "' not supported by modem sockets");
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return Set.of(StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE);
    }

    /** Bytes received from the peer so far (payload only). */
    public long bytesReceived() {
        SocketHandle h = handle;
        return h == null ? 0 : h.bytesReceived();
    }

    /** Bytes the application has read so far (payload only). */
    public long bytesRead() {
        SocketHandle h = handle;
        return h == null ? 0 : h.bytesDelivered();
    }

    /**
     * Request/response exchanges so far: how often a read returned data after a write. A TLS handshake's flights and
     * an MQTT CONNECT/CONNACK each count one; useful to see what a protocol costs in round trips.
     */
    public long roundTrips() {
        SocketHandle h = handle;
        return h == null ? 0 : h.roundTrips();
    }

    /** Bytes the modem accepted for sending so far (payload only). */
    public long bytesSent() {
        SocketHandle h = handle;
        return h == null ? 0 : h.bytesSent();
    }

    @Override
    public String toString() {
        SocketHandle h = handle;
        return h == null ? "ModemSocket[unconnected]" : "ModemSocket[" + h + (closed ? ", closed]" : "]");
    }
}
