package dev.atmodem.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS server on 127.0.0.1 from the JDK's own TLS stack, for one protocol version: it completes the handshake and
 * then waits for the client to close. Its session cache lets TLS 1.2 clients resume.
 */
final class TlsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TlsServer.class);

    private final SSLServerSocket server;

    TlsServer(BenchPki.Issued identity, String protocol) throws IOException, GeneralSecurityException {
        char[] pw = "bench".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", identity.keys().getPrivate(), pw, new Certificate[] {identity.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 16,
                InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {protocol});
        Thread t = new Thread(this::acceptLoop, "bench-tls-server");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                Thread t = new Thread(() -> serve(s), "bench-tls-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                log.debug("TLS server stops: {}", e.toString());
                return;
            }
        }
    }

    private static void serve(SSLSocket s) {
        try (s) {
            s.startHandshake();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1024];
            while (in.read(buf) >= 0) {
                // wait for the client to close
            }
        } catch (IOException e) {
            log.debug("TLS connection ends: {}", e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
