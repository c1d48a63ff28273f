package dev.atmodem.soak;

import dev.atmodem.Modem;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte-stream soak: seeded random bytes through echo sockets on each modem, with the modem's output cut into random
 * fragments, while status URCs land anywhere in the stream and the modem refuses sends in bursts ({@code SEND FAIL}).
 * Every byte must come back once and in order: SHA-256 of what the host sent, of what the far end received and of
 * what came back must agree. Normal suite: 256 KiB per modem, unpaced; {@code -Psoak}: 100 MiB per modem.
 */
@Timeout(value = 90, unit = TimeUnit.MINUTES)
class ByteSoakTest {

    private static final int SOCKETS = 2;
    /** u-blox prompt wait on both ends: the documented 50 ms in the short run, 5 ms for the 100 MiB run. */
    private static final int PROMPT_GUARD_MS = Soak.pick(50, 5);
    /** A SEND FAIL burst at most once per this many bytes written, so the driver's back-off can make progress. */
    private static final long BYTES_PER_BURST = 32 * 1024;
    private static final long TOTAL = Soak.pick(256L << 10, 100L << 20);
    /** Line rate: unpaced in the short run; under -Psoak as fast as -Datmodem.soak.baud says (0 = unpaced). */
    private static final int BAUD = Soak.LONG ? Integer.getInteger("atmodem.soak.baud", 0) : 0;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.atmodem.soak.SoakTarget#all")
    void everyByteComesBackOnceAndInOrderThroughNoiseAndSendFailures(SoakTarget target) throws Exception {
        ModemSimulator sim = target.simulator().baud(BAUD).fragmentation(1, 256).seed(target.name().hashCode())
                .build();
        List<DigestEcho> peers = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong noise = new AtomicLong();
        AtomicLong sendFailBursts = new AtomicLong();
        AtomicLong sendFailures = new AtomicLong();
        long t0 = System.nanoTime();
        try (Modem modem = Modem.open(sim.connectPipe(), target.options(sim, PROMPT_GUARD_MS))) {
            Thread faults = new Thread(() -> injectFaults(sim, target, running, noise, sendFailBursts, sendFailures),
                    "soak-faults");
            faults.setDaemon(true);
            List<CompletableFuture<Void>> streams = new ArrayList<>();
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                DigestEcho peer = new DigestEcho();
                peers.add(peer);
                Socket s = modem.socketFactory().createSocket("localhost", peer.port());
                sockets.add(s);
            }
            // one of each before the data flows, so even a run that ends before the first random fault has them
            sim.faults().failNextSends(2);
            sendFailBursts.incrementAndGet();
            sendFailures.addAndGet(2);
            sim.faults().unsolicitedLine(target.noise().get(0));
            noise.incrementAndGet();
            faults.start();
            for (int i = 0; i < SOCKETS; i++) {
                Socket s = sockets.get(i);
                DigestEcho peer = peers.get(i);
                long seed = 1000L * target.name().hashCode() + i;
                streams.add(CompletableFuture.runAsync(() -> stream(s, peer, TOTAL / SOCKETS, seed)));
            }
            try {
                for (CompletableFuture<Void> f : streams) {
                    f.get(Soak.pick(10, 80), TimeUnit.MINUTES);
                }
            } finally {
                running.set(false);
                faults.join(5000);
                for (Socket s : sockets) {
                    s.close();
                }
            }
        } finally {
            sim.close();
            for (DigestEcho p : peers) {
                p.close();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(noise.get() > 0 && sendFailBursts.get() > 0, "no fault was injected: noise " + noise
                + ", SEND FAIL bursts " + sendFailBursts);
        Soak.report("byte soak %-8s %7.1f MiB echoed on %d sockets in %6.1f s (%.2f MiB/s, baud %s, fragments"
                        + " 1..256 B, prompt wait %d ms): %d URC noise lines, %d SEND FAIL bursts (%d refused sends), 0 lost/duplicated/"
                        + "reordered (SHA-256 host sent = peer received = host received)",
                target.name(), Soak.mib(TOTAL), SOCKETS, seconds, Soak.mib(TOTAL) / seconds,
                BAUD == 0 ? "unpaced" : Integer.toString(BAUD), PROMPT_GUARD_MS, noise.get(), sendFailBursts.get(),
                sendFailures.get());
    }

    /** Writes {@code size} seeded bytes in random pieces while reading the echo; compares the three digests. */
    private static void stream(Socket s, DigestEcho peer, long size, long seed) {
        try {
            s.setSoTimeout(60_000);
            CompletableFuture<String> back = CompletableFuture.supplyAsync(() -> readBack(s, size, seed));
            MessageDigest sent = DigestEcho.sha256();
            Random r = new Random(seed);
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[16384];
            for (long done = 0; done < size; ) {
                int n = (int) Math.min(1 + r.nextInt(chunk.length), size - done);
                r.nextBytes(chunk);
                out.write(chunk, 0, n);
                sent.update(chunk, 0, n);
                done += n;
            }
            String expected = HexFormat.of().formatHex(sent.digest());
            String got = back.get(Soak.pick(10, 80), TimeUnit.MINUTES);
            assertEquals(size, peer.received(), "bytes the far end received");
            assertEquals(expected, peer.sha256Hex(), "SHA-256 of what the far end received");
            assertEquals(expected, got, "SHA-256 of what came back");
        } catch (Exception e) {
            throw new AssertionError("stream with seed " + seed + " failed: " + e, e);
        }
    }

    private static String readBack(Socket s, long size, long seed) {
        MessageDigest got = DigestEcho.sha256();
        Random pieces = new Random(~seed);
        byte[] buf = new byte[16384];
        long total = 0;
        try {
            InputStream in = s.getInputStream();
            while (total < size) {
                int n = in.read(buf, 0, (int) Math.min(1 + pieces.nextInt(buf.length), size - total));
                if (n < 0) {
                    throw new AssertionError("end of stream after " + total + " of " + size + " bytes");
                }
                got.update(buf, 0, n);
                total += n;
            }
        } catch (IOException e) {
            throw new AssertionError("reading the echo failed after " + total + " of " + size + " bytes: " + e, e);
        }
        return HexFormat.of().formatHex(got.digest());
    }

    /** URC noise and SEND FAIL bursts at random moments until the streams are done. */
    private static void injectFaults(ModemSimulator sim, SoakTarget target, AtomicBoolean running, AtomicLong noise,
                                     AtomicLong bursts, AtomicLong refused) {
        Random r = new Random(target.name().hashCode() * 31L);
        long nextBurstAt = BYTES_PER_BURST;
        try {
            while (running.get()) {
                Thread.sleep(5 + r.nextInt(60));
                // bursts follow progress, not the clock: a modem refusing faster than a back-off retries is stuck
                if (r.nextInt(4) == 0 && sim.stats().bytesFromHost() >= nextBurstAt) {
                    nextBurstAt = sim.stats().bytesFromHost() + BYTES_PER_BURST;
                    int n = 1 + r.nextInt(4);
                    sim.faults().failNextSends(n);
                    bursts.incrementAndGet();
                    refused.addAndGet(n);
                } else {
                    sim.faults().unsolicitedLine(target.noise().get(r.nextInt(target.noise().size())));
                    noise.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
