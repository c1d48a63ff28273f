package dev.atmodem.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real clients over ModemTls through the simulated BG96: Eclipse Paho (MQTT 3.1.1 and 5) against a real mosquitto
 * broker with a TLS listener on 127.0.0.1, by the {@code ssl://} route and by {@code tcp://} with a pre-encrypted
 * plain factory; and OkHttp against an HTTPS server, with DNS answered by the modem.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClientsOverModemTlsTest {

    @TempDir
    Path dir;
    private TlsFixture fx;
    private TestPki.Issued root;
    private Path rootPem;
    private Process mosquitto;

    @BeforeEach
    void setUp() throws Exception {
        fx = new TlsFixture();
        fx.sim.names().put("broker.test", "127.0.0.1");
        root = TestPki.root("CN=Broker Test Root", TestPki.ec());
        rootPem = TestPki.write(dir, "root.pem", TestPki.pem(root.cert()));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.destroy();
            mosquitto.waitFor(5, TimeUnit.SECONDS);
        }
        fx.close();
    }

    private static boolean mosquittoAvailable() {
        return Files.isExecutable(Path.of("/usr/sbin/mosquitto")) || Files.isExecutable(Path.of("/usr/bin/mosquitto"));
    }

    /** Starts mosquitto with one TLS listener on 127.0.0.1 and returns its port. */
    private int startBroker() throws Exception {
        TestPki.Issued leaf = TestPki.leaf("broker.test", TestPki.ec(), root, "broker.test");
        Path cert = TestPki.write(dir, "broker.crt", TestPki.pem(leaf.cert()));
        Path key = TestPki.write(dir, "broker.key", TestPki.pkcs8(leaf.key()));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path conf = TestPki.write(dir, "mosquitto.conf", String.join("\n",
                "listener " + port + " 127.0.0.1", "allow_anonymous true", "cafile " + rootPem,
                "certfile " + cert, "keyfile " + key, "persistence false",
                // as root, mosquitto would drop to its own user, which cannot read the test's private temp files
                "root".equals(System.getProperty("user.name")) ? "user root" : "", ""));
        String exe = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        mosquitto = new ProcessBuilder(exe, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return port;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
    }

    @Test
    void pahoMqtt3PublishesAndReceivesOverTlsBothRoutes() throws Exception {
        assumeTrue(mosquittoAvailable(), "mosquitto is not installed (.ci/run installs it)");
        int port = startBroker();
        ModemTls tls = ModemTls.builder().trustPem(rootPem).build();
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);

        MqttConnectOptions sslRoute = new MqttConnectOptions();
        sslRoute.setSocketFactory(tls.socketFactory(fx.modem));
        MqttClient sub = new MqttClient("ssl://broker.test:" + port, "atmodem-sub", new MemoryPersistence());
        sub.connect(sslRoute);
        sub.subscribe("atmodem/test", 1, (topic, msg) -> received.add(new String(msg.getPayload(),
                StandardCharsets.UTF_8)));

        MqttConnectOptions tcpRoute = new MqttConnectOptions();
        SocketFactory plain = tls.encryptedSocketFactory(fx.modem);
        tcpRoute.setSocketFactory(plain);
        MqttClient pub = new MqttClient("tcp://broker.test:" + port, "atmodem-pub", new MemoryPersistence());
        pub.connect(tcpRoute);
        pub.publish("atmodem/test", "hello over a modem".getBytes(StandardCharsets.UTF_8), 1, false);

        assertEquals("hello over a modem", received.poll(30, TimeUnit.SECONDS));
        pub.disconnect();
        sub.disconnect();
        pub.close();
        sub.close();
    }

    @Test
    void pahoMqtt5PublishesAndReceivesOverTlsBothRoutes() throws Exception {
        assumeTrue(mosquittoAvailable(), "mosquitto is not installed (.ci/run installs it)");
        int port = startBroker();
        ModemTls tls = ModemTls.builder().trustPem(rootPem).alpn("mqtt").build();
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);

        MqttConnectionOptions sslRoute = new MqttConnectionOptions();
        sslRoute.setSocketFactory(tls.socketFactory(fx.modem));
        org.eclipse.paho.mqttv5.client.MqttClient sub = new org.eclipse.paho.mqttv5.client.MqttClient(
                "ssl://broker.test:" + port, "atmodem-sub5",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        sub.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                received.add(new String(m.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
                // the test checks delivery; a disconnect shows up as a missing message
            }

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {
                received.add("error: " + e);
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {
                // publisher-side event
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
                // nothing to do
            }

            @Override
            public void authPacketArrived(int reason, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
                // no enhanced authentication here
            }
        });
        sub.connect(sslRoute);
        sub.subscribe("atmodem/v5", 1);

        MqttConnectionOptions tcpRoute = new MqttConnectionOptions();
        tcpRoute.setSocketFactory(tls.encryptedSocketFactory(fx.modem));
        org.eclipse.paho.mqttv5.client.MqttClient pub = new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://broker.test:" + port, "atmodem-pub5",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        pub.connect(tcpRoute);
        pub.publish("atmodem/v5", "MQTT 5 over a modem".getBytes(StandardCharsets.UTF_8), 1, false);

        assertEquals("MQTT 5 over a modem", received.poll(30, TimeUnit.SECONDS));
        pub.disconnect();
        sub.disconnect();
        pub.close();
        sub.close();
    }

    @Test
    void okHttpGetsOverHttpsWithDnsResolvedByTheModem() throws Exception {
        TestPki.Issued leaf = TestPki.leaf("api.test", TestPki.ec(), root, "api.test");
        char[] pw = "pw".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("api", leaf.key(), pw, new Certificate[] {leaf.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, pw);
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
        byte[] body = "{\"hello\":\"from an HTTPS server, through a modem\"}".getBytes(StandardCharsets.UTF_8);
        https.createContext("/hello", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        https.start();
        try {
            ModemTls tls = ModemTls.builder().trustPem(rootPem).build();
            OkHttpClient client = new OkHttpClient.Builder()
                    .socketFactory(fx.modem.socketFactory())
                    .sslSocketFactory(tls.socketFactory(fx.modem), tls.trustManager())
                    .dns(ModemOkHttp.dns(fx.modem))
                    .build();
            long dnsBefore = fx.sim.stats().commandCount("AT+QIDNSGIP");
            try (Response r = client.newCall(new Request.Builder()
                    .url("https://api.test:" + https.getAddress().getPort() + "/hello").build()).execute()) {
                assertEquals(200, r.code());
                assertEquals(new String(body, StandardCharsets.UTF_8), r.body().string());
                assertEquals("TLSv1.3", r.handshake().tlsVersion().javaName());
            }
            assertTrue(fx.sim.stats().commandCount("AT+QIDNSGIP") > dnsBefore, "the modem resolved api.test");
            client.connectionPool().evictAll();
        } finally {
            https.stop(0);
        }
    }
}
