package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.replay.ReplayLink;
import dev.atmodem.testkit.replay.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver against a session written by hand from the reference (not from the simulator), byte for byte: every
 * command the driver sends is checked, and the modem side carries the framing quirks the simulator may not.
 */
class SaraTranscriptTest {

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aWholeR4SessionMatchesTheReferenceByteForByte() throws Exception {
        byte[] payload = {'a', 'b', '\r', '\n', 0, '"', 'z'};
        try (ReplayLink link = ReplayLink.of(Transcript.resource("/dev/atmodem/driver/ublox/sara-r4-session.txt",
                Map.of("PORT", "7777")))) {
            ModemOptions options = ModemOptions.cellular("internet").withRecovery(false, Duration.ofSeconds(1),
                    Duration.ofSeconds(1)).withPolling(Duration.ofSeconds(20), Duration.ofSeconds(20));
            try (Modem modem = Modem.open(link, options)) {
                assertEquals("SARA-R410M", modem.capabilities().model());
                Socket s = modem.socketFactory().createSocket("127.0.0.1", 7777);
                s.setSoTimeout(20_000);
                s.getOutputStream().write(payload);
                // Read once the modem side is done: a reader that drains the buffer while the pump still expects data
                // asks for one more (empty) read, which would make the command sequence timing-dependent.
                Thread.sleep(600);
                InputStream in = s.getInputStream();
                assertArrayEquals(payload, in.readNBytes(payload.length));
                assertEquals(-1, in.read(), "end of stream after the remote close");
                s.close();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!link.isComplete() && System.nanoTime() < until) {
                    Thread.sleep(10); // the modem-side close runs on the event thread
                }
                assertTrue(link.isComplete(), "the whole session was played; divergence: " + link.divergence());
            }
            link.verify();
        }
    }
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void anR5SessionWithPsdProfileSyncFallbackAndWriteBackPressureMatchesTheReference() throws Exception {
        try (ReplayLink link = ReplayLink.of(Transcript.resource("/dev/atmodem/driver/ublox/sara-r5-session.txt",
                Map.of()))) {
            ModemOptions options = ModemOptions.cellular("internet")
                    .withApnCredentials("joe", "secret", ModemOptions.Auth.CHAP)
                    .withRecovery(false, Duration.ofSeconds(1), Duration.ofSeconds(1))
                    .withPolling(Duration.ofSeconds(20), Duration.ofSeconds(20));
            try (Modem modem = Modem.open(link, options)) {
                assertEquals("SARA-R510S", modem.capabilities().model());
                Socket s = modem.socketFactory().createSocket("127.0.0.1", 7777);
                s.getOutputStream().write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.close();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!link.isComplete() && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertTrue(link.isComplete(), "the whole session was played; divergence: " + link.divergence());
            }
            link.verify();
        }
    }
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aRestartWithoutAKnownBannerIsFoundByTheLostErrorMode() throws Exception {
        try (ReplayLink link = ReplayLink.of(Transcript.resource("/dev/atmodem/driver/ublox/sara-r4-silent-restart.txt",
                Map.of("PORT", "7777")))) {
            ModemOptions options = ModemOptions.cellular("internet")
                    .withRecovery(false, Duration.ofSeconds(1), Duration.ofSeconds(1))
                    .withPolling(Duration.ofMillis(300), Duration.ofSeconds(20));
            try (Modem modem = Modem.open(link, options)) {
                Socket s = modem.socketFactory().createSocket("127.0.0.1", 7777);
                java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> s.getInputStream().read());
                assertTrue(e.getMessage().contains("restarted"), e.getMessage());
                assertEquals(dev.atmodem.ModemState.RECOVERING, modem.state());
                s.close();
                assertTrue(link.isComplete(), "the whole session was played; divergence: " + link.divergence());
            }
            link.verify();
        }
    }
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aModuleThatRefusesEveryWriteOnAHealthySocketFailsTheWriteInPlainWords() throws Exception {
        try (ReplayLink link = ReplayLink.of(Transcript.resource("/dev/atmodem/driver/ublox/sara-r4-write-refused.txt",
                Map.of("PORT", "7777")))) {
            ModemOptions options = ModemOptions.cellular("internet")
                    .withRecovery(false, Duration.ofSeconds(1), Duration.ofSeconds(1))
                    .withPolling(Duration.ofSeconds(20), Duration.ofSeconds(20))
                    .withTimeout("USOWR.refused", Duration.ofMillis(1));
            try (Modem modem = Modem.open(link, options)) {
                Socket s = modem.socketFactory().createSocket("127.0.0.1", 7777);
                java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> s.getOutputStream().write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                assertTrue(e.getMessage().contains("refused every AT+USOWR on socket 0")
                        && e.getMessage().contains("open a new one"), e.getMessage());
                assertEquals(dev.atmodem.ModemState.READY, modem.state(), "the modem answers: no recovery");
                s.close();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!link.isComplete() && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertTrue(link.isComplete(), "the whole session was played; divergence: " + link.divergence());
            }
            link.verify();
        }
    }
}
