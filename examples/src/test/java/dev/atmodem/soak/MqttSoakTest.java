package dev.atmodem.soak;

import dev.atmodem.Modem;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MQTT soak: QoS 1 messages published with Eclipse Paho through each simulated modem to a real mosquitto on
 * 127.0.0.1, set up and retried the way the {@code mqtt-publish} command does (clean session, no automatic reconnect;
 * after a failure: disconnect, wait for the modem, connect, publish the same message again), while faults strike at
 * random: reboot, bearer loss, remote close, silence, and the serial port vanishing (the publisher opens the modem
 * again). Every message the publisher saw acknowledged must reach a subscriber on the broker at least once;
 * duplicates are counted; the recovery time of each fault is the time until the first message published after it
 * is acknowledged. Normal suite: 40 messages per modem; {@code -Psoak}: 10,000.
 */
@Timeout(value = 120, unit = TimeUnit.MINUTES)
class MqttSoakTest {

    private static final int MESSAGES = Soak.pick(40, 10_000);
    private static final int PROMPT_GUARD_MS = Soak.pick(50, 5);
    private static final String TOPIC = "atmodem/soak";
    private static final String[] KINDS = {"reboot", "bearer loss", "remote close", "silence", "port vanished"};

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.atmodem.soak.SoakTarget#all")
    void everyAcknowledgedMessageArrivesThroughRandomFaults(SoakTarget target) throws Exception {
        assumeTrue(Mosquitto.binary() != null, "mosquitto is not installed (apt-get install mosquitto; .ci/run"
                + " does it): MQTT soak skipped");
        Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
        AtomicLongArray started = new AtomicLongArray(MESSAGES + 1);
        AtomicLongArray acked = new AtomicLongArray(MESSAGES + 1);
        AtomicInteger ackCount = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<long[]> faults = new ArrayList<>();   // {kind, injectedAtNanos}
        long t0 = System.nanoTime();
        try (Mosquitto broker = Mosquitto.start(dir);
             PluggableModem port = new PluggableModem(target, PROMPT_GUARD_MS)) {
            MqttClient sub = new MqttClient("tcp://127.0.0.1:" + broker.port(), "soak-sub-" + target.name(),
                    new MemoryPersistence());
            sub.connect();
            sub.subscribe(TOPIC, 1, (t, m) -> received.computeIfAbsent(
                    Integer.parseInt(new String(m.getPayload(), StandardCharsets.UTF_8)), k -> new AtomicInteger())
                    .incrementAndGet());
            port.plugIn();
            AtomicBoolean done = new AtomicBoolean();
            Thread faulter = new Thread(() -> injectFaults(target, port, ackCount, started, acked, done, faults),
                    "soak-mqtt-faults");
            faulter.setDaemon(true);
            faulter.start();
            try {
                publishAll(target, port, broker.port(), started, acked, ackCount, failures);
            } finally {
                done.set(true);
                faulter.join(30_000);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < MESSAGES && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            sub.disconnect();
            sub.close();
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Integer> lost = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                if (acked.get(i) != 0 && !received.containsKey(i)) {
                    lost.add(i);
                }
            }
            assertEquals(MESSAGES, ackCount.get(), "every message is acknowledged in the end");
            assertTrue(lost.isEmpty(), () -> lost.size() + " acknowledged message(s) never reached the subscriber: "
                    + lost.subList(0, Math.min(20, lost.size())));
            int duplicates = received.values().stream().mapToInt(a -> a.get() - 1).sum();
            List<Long> recoveries = recoveryMillis(faults, started, acked);
            assertTrue(faults.size() >= Soak.pick(3, 50), "too few faults were injected: " + faults.size());
            assertEquals(faults.size(), recoveries.size(), "the publisher recovered from every fault");
            int[] perKind = new int[KINDS.length];
            faults.forEach(f -> perKind[(int) f[0]]++);
            for (int k = 0; k < KINDS.length; k++) {
                assertTrue(perKind[k] > 0, "no " + KINDS[k] + " fault was injected");
            }
            long[] maxPerKind = new long[KINDS.length];
            for (int f = 0; f < faults.size(); f++) {
                int k = (int) faults.get(f)[0];
                maxPerKind[k] = Math.max(maxPerKind[k], recoveries.get(f));
            }
            StringBuilder kinds = new StringBuilder();
            for (int k = 0; k < KINDS.length; k++) {
                kinds.append(k == 0 ? "" : ", ").append(perKind[k]).append(' ').append(KINDS[k])
                        .append(" (max ").append(maxPerKind[k]).append(" ms)");
            }
            List<Long> sorted = recoveries.stream().sorted().toList();
            Soak.report("mqtt soak %-8s %d QoS 1 messages in %.0f s: %d faults (%s), %d failed publish attempts"
                            + " retried, %d modem opens; 0 lost, %d duplicates; recovery median %d ms, max %d ms",
                    target.name(), MESSAGES, seconds, faults.size(), kinds, failures.get(), port.plugCount(),
                    duplicates, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        }
    }

    /** Paho set up as the mqtt-publish command does; a failed publish is retried after the modem is usable again. */
    private static void publishAll(SoakTarget target, PluggableModem port, int brokerPort, AtomicLongArray started,
                                   AtomicLongArray acked, AtomicInteger ackCount, AtomicInteger failures)
            throws Exception {
        MqttClient client = new MqttClient("tcp://localhost:" + brokerPort, "soak-pub-" + target.name(),
                new MemoryPersistence());
        client.setTimeToWait(Duration.ofSeconds(60).toMillis());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(60);
        o.setKeepAliveInterval(120);
        o.setAutomaticReconnect(false);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(Soak.pick(10, 110));
        try {
            for (int i = 1; i <= MESSAGES; i++) {
                // The short run paces its 40 messages, or a fast modem (NINA-W) publishes them all before the fault
                // thread has injected every kind of fault.
                Thread.sleep(Soak.pick(50, 0));
                byte[] payload = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
                while (true) {
                    started.compareAndSet(i, 0, System.nanoTime());
                    try {
                        if (!client.isConnected()) {
                            o.setSocketFactory(port.modem().socketFactory());
                            client.connect(o);
                        }
                        client.publish(TOPIC, payload, 1, false);
                        acked.set(i, System.nanoTime());
                        ackCount.incrementAndGet();
                        break;
                    } catch (MqttException e) {
                        failures.incrementAndGet();
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("message " + i + " still failing at the deadline", e);
                        }
                        if (client.isConnected()) {
                            client.disconnectForcibly(0, 1000);
                        }
                        Thread.sleep(200);   // as mqtt-publish: a pause before the retry
                        port.usable(Duration.ofMinutes(2));
                        started.set(i, System.nanoTime()); // the retry starts now
                    }
                }
            }
        } finally {
            if (client.isConnected()) {
                client.disconnect(5000);
            }
            client.close();
        }
    }

    /** One random fault, then wait until it is recovered from and some messages went through; repeat. */
    private static void injectFaults(SoakTarget target, PluggableModem port, AtomicInteger ackCount,
                                     AtomicLongArray started, AtomicLongArray acked, AtomicBoolean done,
                                     List<long[]> faults) {
        Random r = new Random(target.name().hashCode());
        int gap = Soak.pick(5, 100);
        try {
            while (!done.get()) {
                int target0 = ackCount.get() + gap / 2 + r.nextInt(gap);
                while (ackCount.get() < target0 && !done.get()) {
                    Thread.sleep(5);
                }
                if (done.get()) {
                    return;
                }
                synchronized (faults) {
                    // After the first round, no fault so late that the run may end before anything is published
                    // after it: the recovery could not be observed.
                    if (faults.size() >= KINDS.length && ackCount.get() >= MESSAGES - gap) {
                        return;
                    }
                }
                int kind;
                synchronized (faults) {
                    // each kind once first, so even the short run sees all of them; then at random
                    kind = faults.size() < KINDS.length ? faults.size() : r.nextInt(KINDS.length);
                }
                long at = System.nanoTime();
                if (!inject(kind, port, r)) {
                    continue;
                }
                synchronized (faults) {
                    faults.add(new long[] {kind, at});
                }
                // wait for the recovery: a message started after the fault is acknowledged
                while (!done.get() && firstAckStartedAfter(at, started, acked) < 0) {
                    Thread.sleep(5);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean inject(int kind, PluggableModem port, Random r) {
        ModemSimulator sim = port.simulator();
        switch (kind) {
            case 0 -> sim.faults().reboot();
            case 1 -> sim.faults().bearerLoss();
            case 2 -> {
                Modem m = port.modem();
                for (int id = 0; id < m.capabilities().maxSockets(); id++) {
                    try {
                        sim.faults().remoteClose(id);
                        return true;
                    } catch (IllegalStateException e) {
                        // not this id: the MQTT connection uses one of the others
                    }
                }
                return false;
            }
            case 3 -> sim.faults().silence(Soak.pick(1000, 2000) + r.nextInt(Soak.pick(2000, 6000)));
            case 4 -> port.unplug();
            default -> throw new IllegalArgumentException("fault " + kind);
        }
        return true;
    }

    /** Nanos of the first acknowledgement of a publish started after {@code at}, or -1. */
    private static long firstAckStartedAfter(long at, AtomicLongArray started, AtomicLongArray acked) {
        long best = -1;
        for (int i = started.length() - 1; i >= 1; i--) {
            long s = started.get(i);
            long a = acked.get(i);
            if (s != 0 && s - at >= 0 && a != 0 && (best < 0 || a - best < 0)) {
                best = a;
            }
        }
        return best;
    }

    private static List<Long> recoveryMillis(List<long[]> faults, AtomicLongArray started, AtomicLongArray acked) {
        List<Long> out = new ArrayList<>();
        for (long[] f : faults) {
            long a = firstAckStartedAfter(f[1], started, acked);
            if (a >= 0) {
                out.add(TimeUnit.NANOSECONDS.toMillis(a - f[1]));
            }
        }
        return out;
    }
}
