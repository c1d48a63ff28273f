package dev.atmodem.tls;

import dev.atmodem.Modem;
import dev.atmodem.ModemSocket;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A TLS socket over a modem socket: Bouncy Castle's SSLSocket layered over a {@link ModemSocket}, behind one class
 * that can also exist <em>before</em> it is connected (Paho calls {@code createSocket()} and then {@code connect()}),
 * that turns handshake failures into plain words, and that records what the handshake cost
 * ({@link #handshakeCost()}).
 *
 * <p>Host name verification is done by atmodem's trust manager as configured in {@link ModemTls}; an endpoint
 * identification algorithm set by a client (Paho sets "HTTPS") is remembered but not passed on, so that the
 * verification happens once, with atmodem's diagnostics.
 */
public final class ModemSslSocket extends SSLSocket {

    private final ModemTls tls;
    private final Modem modem;
    private final SSLSocketFactory bcFactory;
    private final Object lock = new Object();
    private final Object handshakeLock = new Object();
    private SSLSocket bc;
    private ModemSocket raw;
    private String host;
    private SSLParameters pending;
    private final List<HandshakeCompletedListener> pendingListeners = new ArrayList<>();
    private int pendingSoTimeout;
    private boolean closed;
    private volatile boolean handshakeDone;
    private volatile HandshakeCost cost;
    private String requestedIdentification;

    /** Unconnected: {@link #connect} opens the modem socket and layers TLS over it. */
    ModemSslSocket(ModemTls tls, Modem modem, SSLSocketFactory bcFactory) {
        this.tls = tls;
        this.modem = modem;
        this.bcFactory = bcFactory;
        this.pending = tls.defaultParameters(null);
    }

    /** Layered over an already connected socket (OkHttp, Apache HttpClient). */
    ModemSslSocket(ModemTls tls, SSLSocketFactory bcFactory, Socket under, String host, int port, boolean autoClose)
            throws IOException {
        this(tls, null, bcFactory);
        layer(under, host, port, autoClose);
    }

    private void layer(Socket under, String host, int port, boolean autoClose) throws IOException {
        synchronized (lock) {
            this.host = host;
            this.raw = under instanceof ModemSocket m ? m : null;
            SSLSocket s = (SSLSocket) bcFactory.createSocket(under, host, port, autoClose);
            s.setUseClientMode(true);
            s.setSSLParameters(tls.defaultParameters(host, pending));
            for (HandshakeCompletedListener l : pendingListeners) {
                s.addHandshakeCompletedListener(l);
            }
            if (pendingSoTimeout > 0) {
                s.setSoTimeout(pendingSoTimeout);
            }
            bc = s;
        }
    }

    private SSLSocket bc() throws SocketException {
        synchronized (lock) {
            if (bc == null) {
                throw new SocketException(closed ? "Socket is closed" : "Socket is not connected");
            }
            return bc;
        }
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress isa)) {
            throw new IllegalArgumentException("Unsupported address type: " + endpoint);
        }
        if (modem == null) {
            throw new SocketException("already connected");
        }
        ModemSocket s = modem.newSocket();
        try {
            s.connect(isa, timeout);
            layer(s, isa.getHostString(), isa.getPort(), true);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Runs the handshake now (also done on the first read or write); failures explained in plain words. */
    @Override
    public void startHandshake() throws IOException {
        synchronized (handshakeLock) { // a reader and a writer may both trigger it; it is measured once
            if (!handshakeDone) {
                doHandshake(); // later calls are no-ops: no renegotiation over a metered modem link
            }
        }
    }

    private void doHandshake() throws IOException {
        SSLSocket s = bc();
        long sent0 = raw == null ? 0 : raw.bytesSent();
        long read0 = raw == null ? 0 : raw.bytesRead();
        long trips0 = raw == null ? 0 : raw.roundTrips();
        try {
            s.startHandshake();
        } catch (IOException e) {
            throw explain(e);
        }
        if (!handshakeDone) {
            handshakeDone = true;
            if (raw != null) {
                SSLSession session = s.getSession();
                cost = new HandshakeCost(raw.bytesSent() - sent0, raw.bytesRead() - read0,
                        raw.roundTrips() - trips0, tls.wasResumed(session));
            }
        }
    }

    private void ensureHandshake() throws IOException {
        if (!handshakeDone) {
            startHandshake();
        }
    }

    /**
     * Replaces Bouncy Castle's terse alert ({@code certificate_unknown(46)}) with what went wrong, keeping it as the
     * cause. Plain I/O failures of the modem socket pass through unchanged.
     */
    IOException explain(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DiagnosingTrustManager.Diagnosis d) {
                SSLHandshakeException x = new SSLHandshakeException("TLS handshake with " + host + " failed: "
                        + d.getMessage());
                x.initCause(e);
                return x;
            }
        }
        SSLSocket s = bc;
        if (s != null && !tls.keyManager().hasIdentity() && tls.keyManager().wasAsked(s)) {
            // With TLS 1.3 the server refuses only after our side finished: the next read or write fails.
            SSLHandshakeException x = new SSLHandshakeException("TLS with " + host + " failed: the server asked for"
                    + " a client certificate and none was configured (ModemTls.builder().identity(...))");
            x.initCause(e);
            return x;
        }
        if (!(e instanceof SSLException) && !e.getClass().getName().startsWith("org.bouncycastle.tls.")) {
            return e; // not a TLS problem: the modem socket's own exception says it best
        }
        String alert = AlertExplanations.explain(e);
        SSLHandshakeException x = new SSLHandshakeException("TLS with " + host + " failed: "
                + (alert != null ? alert : e.getMessage()));
        x.initCause(e);
        return x;
    }

    /** What the handshake cost on the modem link, once it is done; null before, or over a non-modem socket. */
    public HandshakeCost handshakeCost() {
        return cost;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        InputStream in = bc().getInputStream();
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                ensureHandshake();
                try {
                    return super.read();
                } catch (IOException e) {
                    throw explain(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                ensureHandshake();
                try {
                    return in.read(b, off, len);
                } catch (IOException e) {
                    throw explain(e);
                }
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        OutputStream out = bc().getOutputStream();
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ensureHandshake();
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw explain(e);
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        SSLSocket s;
        synchronized (lock) {
            closed = true;
            s = bc;
        }
        if (s != null) {
            s.close();
        }
    }

    @Override
    public boolean isClosed() {
        synchronized (lock) {
            return closed || bc != null && bc.isClosed();
        }
    }

    @Override
    public boolean isConnected() {
        synchronized (lock) {
            return bc != null && bc.isConnected();
        }
    }

    @Override
    public boolean isBound() {
        return isConnected();
    }

    // ---- settings: applied to the Bouncy Castle socket, or kept until connect ----

    @Override
    public SSLParameters getSSLParameters() {
        synchronized (lock) {
            SSLParameters p = bc != null ? bc.getSSLParameters() : pending;
            p.setEndpointIdentificationAlgorithm(requestedIdentification);
            return p;
        }
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        synchronized (lock) {
            requestedIdentification = params.getEndpointIdentificationAlgorithm();
            SSLParameters p = tls.sanitise(params);
            if (bc != null) {
                bc.setSSLParameters(p);
            } else {
                pending = p;
            }
        }
    }

    private void update(java.util.function.Consumer<SSLParameters> change) {
        SSLParameters p = getSSLParameters();
        change.accept(p);
        setSSLParameters(p);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return bcFactory.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return getSSLParameters().getCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        update(p -> p.setCipherSuites(suites));
    }

    @Override
    public String[] getSupportedProtocols() {
        return tls.protocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return getSSLParameters().getProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        update(p -> p.setProtocols(protocols));
    }

    @Override
    public SSLSession getSession() {
        SSLSocket s = bc;
        if (s == null) {
            return null;
        }
        try {
            ensureHandshake();
        } catch (IOException e) {
            return s.getSession(); // the invalid session, as SSLSocket.getSession() specifies
        }
        return s.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        SSLSocket s = bc;
        return s == null ? null : s.getHandshakeSession();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        synchronized (lock) {
            if (bc != null) {
                bc.addHandshakeCompletedListener(listener);
            } else {
                pendingListeners.add(listener);
            }
        }
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        synchronized (lock) {
            if (bc != null) {
                bc.removeHandshakeCompletedListener(listener);
            } else {
                pendingListeners.remove(listener);
            }
        }
    }

    @Override
    public String getApplicationProtocol() {
        SSLSocket s = bc;
        return s == null ? null : s.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        SSLSocket s = bc;
        return s == null ? null : s.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
        throw new UnsupportedOperationException("atmodem is a TLS client: no server-side ALPN selection");
    }

    @Override
    public void setUseClientMode(boolean mode) {
        if (!mode) {
            throw new IllegalArgumentException("atmodem TLS sockets are always clients");
        }
    }

    @Override
    public boolean getUseClientMode() {
        return true;
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        // server-side setting: meaningless for a client
    }

    @Override
    public boolean getNeedClientAuth() {
        return false;
    }

    @Override
    public void setWantClientAuth(boolean want) {
        // server-side setting: meaningless for a client
    }

    @Override
    public boolean getWantClientAuth() {
        return false;
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        // sessions are always created; resumption is configured in ModemTls
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }

    // ---- plain socket methods: the Bouncy Castle socket passes them to the modem socket ----

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        synchronized (lock) {
            if (bc != null) {
                bc.setSoTimeout(timeout);
            } else {
                pendingSoTimeout = timeout;
            }
        }
    }

    @Override
    public int getSoTimeout() throws SocketException {
        synchronized (lock) {
            return bc != null ? bc.getSoTimeout() : pendingSoTimeout;
        }
    }

    @Override
    public InetAddress getInetAddress() {
        SSLSocket s = bc;
        return s == null ? null : s.getInetAddress();
    }

    @Override
    public int getPort() {
        SSLSocket s = bc;
        return s == null ? 0 : s.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        SSLSocket s = bc;
        return s == null ? null : s.getRemoteSocketAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        SSLSocket s = bc;
        return s == null ? null : s.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        SSLSocket s = bc;
        return s == null ? -1 : s.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        SSLSocket s = bc;
        return s == null ? null : s.getLocalSocketAddress();
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        if (bindpoint != null) {
            throw new SocketException("binding a local address is not supported by modem sockets");
        }
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // the modem's stack decides
    }

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public void setKeepAlive(boolean on) {
        // the modem's stack decides
    }

    @Override
    public boolean getKeepAlive() {
        return false;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
        // the modem's stack decides
    }

    @Override
    public int getSoLinger() {
        return -1;
    }

    @Override
    public void setReceiveBufferSize(int size) {
        // the modem's stack decides
    }

    @Override
    public void setSendBufferSize(int size) {
        // the modem's stack decides
    }

    @Override
    public void setTrafficClass(int tc) {
        // the modem's stack decides
    }

    @Override
    public void setReuseAddress(boolean on) {
        // meaningless for modem sockets
    }

    @Override
    public void setOOBInline(boolean on) {
        // no urgent data through a modem
    }

    @Override
    public void shutdownInput() throws IOException {
        throw new UnsupportedOperationException("TLS sockets cannot shut down input; close the socket");
    }

    @Override
    public void shutdownOutput() throws IOException {
        throw new UnsupportedOperationException("TLS sockets cannot shut down output; close the socket");
    }

    @Override
    public String toString() {
        SSLSocket s = bc;
        return "ModemSslSocket[" + (s == null ? "unconnected" : host) + "]";
    }
}
