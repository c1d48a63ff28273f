package dev.atmodem.bench;

import dev.atmodem.examples.demo.DemoPki;
import dev.atmodem.examples.demo.EmbeddedBroker;
import dev.atmodem.tls.ModemTls;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Issue 9 §2: time to first publish - open the modem socket, TLS 1.3 handshake, MQTT CONNECT, one QoS 1 PUBLISH and its
 * PUBACK (against the examples' embedded Moquette broker on 127.0.0.1; judged with {@link MiniMqtt}, shown with Eclipse
 * Paho too) - at 115200 baud, against the
 * floor 4 x RTT + serial bytes / (baud/10). The broker is dialled by IP literal so that no DNS round trip is added
 * (the floor counts none); its certificate names 127.0.0.1. One untimed run first warms the JVM up.
 */
final class FirstPublishBench {

    static final double MAX_RATIO = 1.15;

    private FirstPublishBench() {
    }

    static void run(Config cfg, Report report) throws Exception {
        DemoPki pki = DemoPki.create("atmodem benchmark CA");
        try (EmbeddedBroker broker = EmbeddedBroker.start(pki.server("127.0.0.1"))) {
            ModemTls tls = ModemTls.builder().trustPemText(pki.root().certPem()).build();
            // untimed, unpaced: loads and compiles TLS, MQTT and the broker's paths, so that the figures are the line
            // and the round trips (the floor), not the JVM warming up. One run only loads the classes: the handshake's
            // code then still runs interpreted, and the first modem measured paid 20-50 ms of it in its TLS phase.
            try (Rig warm = Rig.open(cfg.modems().get(0), 0, 0)) {
                for (int i = 0; i < cfg.publishWarmUps(); i++) {
                    measure(warm, tls, broker.tlsPort(), 0, "warm-up");
                }
                measurePaho(warm, tls, broker.tlsPort(), 0, "warm-up");
            }
            for (BenchModem m : cfg.modems()) {
                for (int rtt : cfg.rtts()) {
                    String measure = "first publish RTT " + rtt + " ms";
                    try (Rig rig = Rig.open(m, Config.SLOW, rtt)) {
                        report.add(measure(rig, tls, broker.tlsPort(), rtt, measure));
                    } catch (Exception e) {
                        report.add(Row.failed(measure, m.dialect(), e.toString()));
                    }
                    String paho = "first publish RTT " + rtt + " ms, Paho";
                    try (Rig rig = Rig.open(m, Config.SLOW, rtt)) {
                        report.add(measurePaho(rig, tls, broker.tlsPort(), rtt, paho));
                    } catch (Exception e) {
                        report.add(Row.failed(paho, m.dialect(), e.toString()));
                    }
                }
            }
        }
    }

    /** The modem path alone: TLS socket from the library's factory, MQTT packets from {@link MiniMqtt}. */
    private static Row measure(Rig rig, ModemTls tls, int port, int rtt, String measure) throws Exception {
        Rig.Line l0 = rig.line();
        long t0 = System.nanoTime();
        long[] at = new long[4];
        try (Socket s = tls.socketFactory(rig.modem()).createSocket("127.0.0.1", port)) {
            at[0] = System.nanoTime();
            s.setSoTimeout(120_000);
            ((SSLSocket) s).startHandshake();
            at[1] = System.nanoTime();
            MiniMqtt.connect(s, "bench-" + rig.target().dialect() + "-" + rtt, 120);
            at[2] = System.nanoTime();
            MiniMqtt.publishQos1(s, "bench/first", "hello from the benchmark".getBytes(StandardCharsets.UTF_8), 1);
            at[3] = System.nanoTime();
            long nanos = System.nanoTime() - t0;
            Rig.Line line = rig.line().minus(l0);
            // Where the time went, one round trip each: a surplus in one phase points at its cause.
            String phases = String.format(Locale.ROOT, ": open %d, TLS %d, CONNECT %d, PUBLISH %d",
                    (at[0] - t0) / 1_000_000, (at[1] - at[0]) / 1_000_000, (at[2] - at[1]) / 1_000_000,
                    (at[3] - at[2]) / 1_000_000);
            return row(rig, rtt, measure, nanos, line, MAX_RATIO, phases);
        }
    }

    private static Row row(Rig rig, int rtt, String measure, long nanos, Rig.Line line, double max) {
        return row(rig, rtt, measure, nanos, line, max, "");
    }

    private static Row row(Rig rig, int rtt, String measure, long nanos, Rig.Line line, double max, String phases) {
        double floorMs = 4.0 * rtt + line.total() * 1000.0 / rig.lineBytesPerSecond();
        double ms = nanos / 1e6;
        String figure = String.format(Locale.ROOT, "%.0f ms%s", ms, phases);
        String limit = String.format(Locale.ROOT, "%.0f ms (4 x %d + %d B)", floorMs, rtt, line.total());
        return Double.isNaN(max) ? Row.info(measure, rig.target().dialect(), figure, limit, ms / floorMs)
                : Row.atMost(measure, rig.target().dialect(), figure, limit, ms / floorMs, max);
    }

    /** The same with Eclipse Paho as the client (informational: Paho's own start-up pauses are included). */
    private static Row measurePaho(Rig rig, ModemTls tls, int port, int rtt, String measure) throws Exception {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + port, "bench-" + rig.target().dialect() + "-" + rtt,
                new MemoryPersistence());
        client.setTimeToWait(120_000);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setSocketFactory(tls.socketFactory(rig.modem()));
        o.setCleanSession(true);
        o.setConnectionTimeout(120);
        o.setKeepAliveInterval(120);
        o.setAutomaticReconnect(false);
        try {
            Rig.Line l0 = rig.line();
            long t0 = System.nanoTime();
            client.connect(o);
            client.publish("bench/first", "hello from the benchmark".getBytes(StandardCharsets.UTF_8), 1, false);
            long nanos = System.nanoTime() - t0;
            Rig.Line line = rig.line().minus(l0);
            return row(rig, rtt, measure, nanos, line, Double.NaN);
        } finally {
            if (client.isConnected()) {
                client.disconnect(5_000);
            }
            client.close();
        }
    }
}
