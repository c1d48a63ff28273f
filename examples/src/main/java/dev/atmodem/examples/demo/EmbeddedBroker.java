package dev.atmodem.examples.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;

/**
 * An in-process MQTT broker (Moquette) bound to 127.0.0.1 only: a TLS listener (TLS 1.3 and 1.2, with the given
 * server certificate) for the client behind the modem, and a plain listener for the local subscriber that confirms
 * delivery. Anonymous clients may connect; nothing is persisted; Moquette's telemetry (which would contact the
 * internet) is switched off.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final Server server;
    private final int tlsPort;
    private final int plainPort;

    private EmbeddedBroker(Server server, int tlsPort, int plainPort) {
        this.server = server;
        this.tlsPort = tlsPort;
        this.plainPort = plainPort;
    }

    /** Starts the broker with {@code identity} as its TLS server certificate. */
    public static EmbeddedBroker start(DemoPki.Issued identity) throws IOException {
        int tls = freePort();
        int plain = freePort();
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(plain));
        p.setProperty(IConfig.SSL_PORT_PROPERTY_NAME, Integer.toString(tls));
        p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        IConfig config = new MemoryConfig(p);
        SslContext ssl;
        try {
            ssl = SslContextBuilder.forServer(identity.key(), identity.cert()).sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2").build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("cannot set up the broker's TLS listener: " + e.getMessage(), e);
        }
        Server server = new Server();
        IAuthenticator anyone = (clientId, username, password) -> true;
        IAuthorizatorPolicy everything = new IAuthorizatorPolicy() {
            @Override
            public boolean canWrite(Topic topic, String user, String client) {
                return true;
            }

            @Override
            public boolean canRead(Topic topic, String user, String client) {
                return true;
            }
        };
        server.startServer(config, List.of(), () -> ssl, anyone, everything);
        return new EmbeddedBroker(server, tls, plain);
    }

    /** The TLS listener's port on 127.0.0.1. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The plain listener's port on 127.0.0.1 (for the local subscriber). */
    public int plainPort() {
        return plainPort;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
