package dev.atmodem.examples;

import dev.atmodem.examples.demo.DemoPki;
import dev.atmodem.examples.demo.EmbeddedBroker;
import dev.atmodem.testkit.expose.TcpExposure;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mqtt-publish --broker mqtts://...} on a modem reached as a remote serial port (tcp://), against a broker on
 * 127.0.0.1; the modem reboots after the first message, and the command reconnects and delivers the rest.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MqttPublishRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void aModemRebootBetweenMessagesIsSurvived() throws Exception {
        DemoPki pki = DemoPki.create("Recovery Test Root");
        Path root = dir.resolve("root.pem");
        Files.writeString(root, pki.root().certPem());
        try (EmbeddedBroker broker = EmbeddedBroker.start(pki.server("localhost"));
             TcpExposure modems = TcpExposure.start(0, () -> ModemSimulator.builder("bg96").rttMillis(20).build())) {
            Set<String> received = ConcurrentHashMap.newKeySet();
            MqttClient sub = new MqttClient("tcp://127.0.0.1:" + broker.plainPort(), "recovery-sub",
                    new MemoryPersistence());
            sub.connect();
            sub.subscribe("atmodem/recovery", 1, (t, m) -> received.add(new String(m.getPayload(),
                    StandardCharsets.UTF_8)));

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            AtomicInteger code = new AtomicInteger(-1);
            Thread publisher = new Thread(() -> code.set(AtmodemCli.run(new String[] {"mqtt-publish",
                    "--port", modems.url(), "--baud", "921600", "--apn", "internet",
                    "--broker", "mqtts://localhost:" + broker.tlsPort(), "--ca", root.toString(),
                    "--topic", "atmodem/recovery", "--message", "m", "--count", "3", "--interval", "2000"},
                    new PrintWriter(out, true), new PrintWriter(err, true))), "publisher");
            publisher.start();

            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!received.contains("m #1") && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(received.contains("m #1"), () -> "first message never arrived: " + out + err);
            ModemSimulator sim = modems.awaitSimulator(1000);
            sim.faults().reboot();

            publisher.join(TimeUnit.SECONDS.toMillis(90));
            String all = "exit " + code.get() + "\n" + out + "\n" + err;
            assertEquals(0, code.get(), all);
            assertEquals(Set.of("m #1", "m #2", "m #3"), received, all);
            assertTrue(out.toString().contains("summary: 3 of 3 message(s) published"), all);
            assertTrue(sim.stats().commandCount("AT+QIOPEN") >= 2, () -> "no reconnection seen: " + sim.stats()
                    + "\n" + all);
            sub.disconnect();
            sub.close();
        }
    }
}
