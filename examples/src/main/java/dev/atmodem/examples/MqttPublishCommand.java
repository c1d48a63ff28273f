package dev.atmodem.examples;

import dev.atmodem.examples.demo.DemoPki;
import dev.atmodem.examples.demo.EmbeddedBroker;
import dev.atmodem.tls.ModemSslSocket;
import dev.atmodem.tls.ModemTls;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * Publishes MQTT messages with Eclipse Paho through the modem. With no {@code --broker} (and a simulated modem) it
 * runs the embedded demo: a throw-away CA, an in-process broker with a TLS listener on 127.0.0.1, TLS 1.3 over the
 * simulated BG96, and a subscriber on the broker that confirms every message.
 */
@Command(name = "mqtt-publish", mixinStandardHelpOptions = true,
        description = {"Publish MQTT messages with Eclipse Paho through the modem, reconnecting after failures.",
                "With no --broker and a simulated modem (the default), runs the whole demo on this machine:"
                        + " an in-process MQTT broker with a TLS listener on 127.0.0.1, TLS 1.3 through a simulated"
                        + " BG96, and a subscriber that confirms receipt."})
public final class MqttPublishCommand implements Callable<Integer> {

    /** The broker's name in the demo: resolved from /etc/hosts on this machine and by the simulated modem's DNS. */
    static final String DEMO_HOST = "localhost";
    private static final int MAX_ATTEMPTS = 3;

    @Mixin
    CommonOptions common;

    @Mixin
    TlsOptions tls;

    @Option(names = "--broker", paramLabel = "URI",
            description = "mqtts://HOST:PORT (TLS through the modem) or mqtt://HOST:PORT (plain). Default: the"
                    + " embedded demo broker (simulated modems only).")
    String broker;

    @Option(names = "--topic", defaultValue = "atmodem/demo", description = "Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--message", defaultValue = "hello from atmodem",
            description = "The payload (with --count > 1, \" #N\" is appended). Default: ${DEFAULT-VALUE}.")
    String message;

    @Option(names = "--count", defaultValue = "1", description = "How many messages. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
            description = "Pause between messages. Default: ${DEFAULT-VALUE} ms.")
    long intervalMillis;

    @Option(names = "--qos", defaultValue = "1", description = "0, 1 or 2. Default: ${DEFAULT-VALUE}.")
    int qos;

    @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id. Default: atmodem-<random>.")
    String clientId;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (qos < 0 || qos > 2) {
            throw new CliException("--qos must be 0, 1 or 2, got " + qos);
        }
        if (count < 1) {
            throw new CliException("--count must be at least 1, got " + count);
        }
        if (clientId == null) {
            clientId = "atmodem-" + UUID.randomUUID().toString().substring(0, 8);
        }
        if (broker == null) {
            if (!ModemConnector.isSimulated(common.port)) {
                throw new CliException("give --broker mqtts://HOST:PORT: the embedded demo broker runs only with a"
                        + " simulated modem (--port sim:bg96), because a real modem cannot reach this machine's"
                        + " 127.0.0.1");
            }
            if (tls.ca != null || tls.cert != null || tls.key != null) {
                throw new CliException("--ca, --cert and --key go with --broker: the embedded demo makes its own"
                        + " certificates");
            }
            return demo();
        }
        return publishTo(broker);
    }

    private int demo() throws Exception {
        long start = System.nanoTime();
        DemoPki pki = DemoPki.create("atmodem demo root");
        DemoPki.Issued serverId = pki.server(DEMO_HOST, "127.0.0.1");
        out.println("atmodem mqtt-publish: embedded demo, nothing leaves 127.0.0.1");
        try (EmbeddedBroker brokerServer = EmbeddedBroker.start(serverId);
             ModemConnector.Connection c = ModemConnector.open(common)) {
            c.simulator().names().put(DEMO_HOST, "127.0.0.1");
            out.println("  broker: in-process MQTT broker (Moquette), TLS listener on 127.0.0.1:"
                    + brokerServer.tlsPort() + ", certificate for '" + DEMO_HOST + "' from a throw-away root made"
                    + " just now");
            out.println("  modem:  " + c.modem().info().manufacturer() + " " + c.modem().info().model() + " on "
                    + c.description() + ", driver " + c.modem().driverName());
            out.flush();

            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            MqttClient subscriber = new MqttClient("tcp://127.0.0.1:" + brokerServer.plainPort(),
                    "atmodem-demo-subscriber", new MemoryPersistence());
            try {
                MqttConnectOptions so = new MqttConnectOptions();
                so.setCleanSession(true);
                subscriber.connect(so);
                subscriber.subscribe(topic, Math.max(qos, 1), (t, m) ->
                        received.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
                out.println("  subscriber: on the broker's plain listener, 127.0.0.1:" + brokerServer.plainPort()
                        + ", topic " + topic);

                ModemTls modemTls = ModemTls.builder().trustPemText(pki.root().certPem()).build();
                RecordingSslSocketFactory factory = new RecordingSslSocketFactory(modemTls.socketFactory(c.modem()));
                Result r = publish(c, "ssl://" + DEMO_HOST + ":" + brokerServer.tlsPort(), factory, factory,
                        received);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                out.println("summary: " + r.published + " of " + count + " message(s) published through the"
                        + " simulated modem, " + r.confirmed + " received by the subscriber on the broker");
                out.println("  serial line: " + c.bytesToModem() + " B to the modem, " + c.bytesFromModem()
                        + " B from it (AT commands, answers and payloads)");
                if (r.handshake != null) {
                    out.println("  TLS handshake: " + r.handshake);
                }
                out.println("  time: " + ms + " ms in all (certificates, broker start, modem bring-up, TLS, MQTT)");
                out.flush();
                return r.confirmed == count ? 0 : 1;
            } finally {
                disconnectQuietly(subscriber);
            }
        }
    }

    private int publishTo(String uriText) throws Exception {
        URI uri;
        try {
            uri = URI.create(uriText);
        } catch (IllegalArgumentException e) {
            throw new CliException("--broker: not a URI: " + uriText, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new CliException("--broker wants mqtts://HOST:PORT or mqtt://HOST:PORT, got " + uriText);
        }
        boolean secure;
        int port;
        switch (scheme) {
            case "mqtts", "ssl" -> {
                secure = true;
                port = uri.getPort() < 0 ? 8883 : uri.getPort();
            }
            case "mqtt", "tcp" -> {
                secure = false;
                port = uri.getPort() < 0 ? 1883 : uri.getPort();
            }
            default -> throw new CliException("--broker wants mqtts:// or mqtt://, got " + uriText);
        }
        long start = System.nanoTime();
        ModemTls modemTls = secure ? tls.build() : null;
        try (ModemConnector.Connection c = ModemConnector.open(common)) {
            out.println("modem: " + c.modem().info().manufacturer() + " " + c.modem().info().model() + " on "
                    + c.description());
            Result r;
            if (secure) {
                RecordingSslSocketFactory f = new RecordingSslSocketFactory(modemTls.socketFactory(c.modem()));
                r = publish(c, "ssl://" + uri.getHost() + ":" + port, f, f, null);
            } else {
                r = publish(c, "tcp://" + uri.getHost() + ":" + port, c.modem().socketFactory(), null, null);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            out.println("summary: " + r.published + " of " + count + " message(s) published to " + uriText
                    + (r.failures > 0 ? " (" + r.failures + " failed attempt(s) retried)" : ""));
            out.println("  serial line: " + c.bytesToModem() + " B to the modem, " + c.bytesFromModem() + " B from it");
            if (r.handshake != null) {
                out.println("  TLS handshake: " + r.handshake);
            }
            out.println("  time: " + ms + " ms");
            out.flush();
            return r.published == count ? 0 : 1;
        }
    }

    /** What a publishing run did. */
    private static final class Result {
        int published;
        int confirmed;
        int failures;
        String handshake;
    }

    private Result publish(ModemConnector.Connection c, String uri, SocketFactory factory,
                           RecordingSslSocketFactory recorder, BlockingQueue<String> confirmations)
            throws MqttException, IOException, InterruptedException {
        Result r = new Result();
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setTimeToWait(Duration.ofMinutes(2).toMillis());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setSocketFactory(factory);
        o.setCleanSession(true);
        o.setConnectionTimeout(150);
        o.setKeepAliveInterval(120);
        o.setAutomaticReconnect(false);
        try {
            for (int i = 1; i <= count; i++) {
                String payload = count == 1 ? message : message + " #" + i;
                byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
                for (int attempt = 1; ; attempt++) {
                    try {
                        if (!client.isConnected()) {
                            long t = System.nanoTime();
                            client.connect(o);
                            r.handshake = describeHandshake(recorder);
                            out.println("connected to " + uri + " through the modem in "
                                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t) + " ms"
                                    + (r.handshake == null ? "" : " (TLS handshake included)"));
                        }
                        long t = System.nanoTime();
                        client.publish(topic, bytes, qos, false);
                        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
                        r.published++;
                        StringBuilder line = new StringBuilder("[" + i + "/" + count + "] published " + bytes.length
                                + " B to " + topic + " (QoS " + qos + ") in " + took + " ms");
                        if (confirmations != null) {
                            String got = confirmations.poll(30, TimeUnit.SECONDS);
                            if (payload.equals(got)) {
                                r.confirmed++;
                                line.append("; the subscriber received it");
                            } else {
                                line.append(got == null ? "; the subscriber did NOT receive it within 30 s"
                                        : "; the subscriber received something else: '" + got + "'");
                            }
                        }
                        out.println(line);
                        out.flush();
                        break;
                    } catch (MqttException e) {
                        r.failures++;
                        err.println("[" + i + "/" + count + "] attempt " + attempt + " failed: "
                                + AtmodemCli.message(e));
                        err.flush();
                        if (attempt >= MAX_ATTEMPTS) {
                            throw e;
                        }
                        disconnectQuietly(client);
                        Thread.sleep(1000L * attempt);
                        c.modem().awaitReady(Duration.ofMinutes(2));
                    }
                }
                if (i < count && intervalMillis > 0) {
                    Thread.sleep(intervalMillis);
                }
            }
        } finally {
            disconnectQuietly(client);
            client.close();
        }
        return r;
    }

    private static String describeHandshake(RecordingSslSocketFactory recorder) {
        if (recorder == null) {
            return null;
        }
        Socket s = recorder.last();
        if (s instanceof ModemSslSocket m) {
            return m.getSession().getProtocol() + " " + m.getSession().getCipherSuite() + ", " + m.handshakeCost();
        }
        return null;
    }

    private void disconnectQuietly(MqttClient client) {
        if (client.isConnected()) {
            try {
                client.disconnect(5000);
            } catch (MqttException e) {
                err.println("(disconnecting " + client.getClientId() + ": " + AtmodemCli.message(e) + ")");
            }
        }
    }
}
