package dev.atmodem.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real TLS echo server on 127.0.0.1 from the JDK's own TLS stack (independent of Bouncy Castle), recording the SNI
 * name and the ALPN list each client offered, and the client certificate when it asks for one.
 */
final class JdkTlsServer implements AutoCloseable {

    final List<String> sniSeen = new CopyOnWriteArrayList<>();
    final List<List<String>> alpnSeen = new CopyOnWriteArrayList<>();
    final List<String> clientCertsSeen = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final SSLServerSocket server;

    JdkTlsServer(TestPki.Issued identity, String protocol, X509Certificate clientCa) throws Exception {
        char[] pw = "pw".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", identity.key(), pw, new Certificate[] {identity.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, pw);
        TrustManagerFactory tmf = null;
        if (clientCa != null) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", clientCa);
            tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ts);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), new SecureRandom());
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {protocol});
        server.setNeedClientAuth(clientCa != null);
        Thread t = new Thread(this::acceptLoop, "jdk-tls-server");
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
                s.setHandshakeApplicationProtocolSelector((sock, offered) -> {
                    alpnSeen.add(List.copyOf(offered));
                    return offered.isEmpty() ? null : offered.get(0);
                });
                Thread t = new Thread(() -> serve(s), "jdk-tls-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SSLSocket s) {
        try (s) {
            s.startHandshake();
            if (s.getSession() instanceof ExtendedSSLSession e) {
                for (SNIServerName n : e.getRequestedServerNames()) {
                    if (n instanceof SNIHostName h) {
                        sniSeen.add(h.getAsciiName());
                    }
                }
            }
            try {
                Certificate[] peer = s.getSession().getPeerCertificates();
                clientCertsSeen.add(((X509Certificate) peer[0]).getSubjectX500Principal().getName());
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                // no client certificate: fine unless the test asked for one
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            failures.add(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
