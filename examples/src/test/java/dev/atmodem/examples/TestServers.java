package dev.atmodem.examples;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.atmodem.examples.demo.DemoPki;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A JDK HTTPS server on 127.0.0.1 with a certificate for 'localhost' from a throw-away root. */
final class TestServers {

    static final String BODY = "hello through a simulated modem\n";

    private TestServers() {
    }

    /** An HTTPS server answering {@link #BODY} on /hello; the root certificate's PEM is written to {@code rootPem}. */
    static HttpsServer https(DemoPki pki, Path rootPem) throws Exception {
        DemoPki.Issued id = pki.server("localhost");
        Files.writeString(rootPem, pki.root().certPem());
        char[] pw = "pw".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", id.key(), pw, new Certificate[] {id.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/hello", ex -> {
            byte[] b = BODY.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        server.start();
        return server;
    }

    static int port(HttpsServer s) {
        return s.getAddress().getPort();
    }

    static void writePem(Path p, String pem) throws IOException {
        Files.writeString(p, pem);
    }
}
