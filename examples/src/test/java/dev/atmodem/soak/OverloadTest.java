package dev.atmodem.soak;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.testkit.EchoCheck;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overload on every modem: more sockets than the model has, many threads writing to one socket at once, and a reader
 * that never reads while the far end floods it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OverloadTest {

    private static final int RECEIVE_BUFFER = 16 * 1024;

    private ModemSimulator sim;
    private Modem modem;

    private Modem open(SoakTarget target) throws IOException {
        sim = target.simulator().fragmentation(1, 256).seed(5).build();
        modem = Modem.open(sim.connectPipe(), target.options(sim, 50).withReceiveBuffer(RECEIVE_BUFFER));
        return modem;
    }

    @AfterEach
    void tearDown() {
        if (modem != null) {
            modem.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.atmodem.soak.SoakTarget#all")
    void oneSocketMoreThanTheModelHasIsRefusedClearly(SoakTarget target) throws Exception {
        open(target);
        int max = modem.capabilities().maxSockets();
        try (LoopbackPeer echo = LoopbackPeer.echo()) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < max; i++) {
                    sockets.add(modem.socketFactory().createSocket("localhost", echo.port()));
                }
                ModemException e = assertThrows(ModemException.class,
                        () -> modem.socketFactory().createSocket("localhost", echo.port()));
                assertTrue(e.getMessage().contains("all " + max + " sockets") && e.getMessage().contains("in use"),
                        e.getMessage());
                for (int i = 0; i < max; i++) {
                    EchoCheck.run(sockets.get(i), 512, i, Duration.ofSeconds(60)); // the refusal broke nothing
                }
                sockets.remove(0).close();
                sockets.add(modem.socketFactory().createSocket("localhost", echo.port()));
                EchoCheck.run(sockets.get(max - 1), 512, 42, Duration.ofSeconds(60));
                Soak.report("overload %-8s socket %d of %d refused: \"%s\"", target.name(), max + 1, max,
                        e.getMessage());
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    /**
     * Eight threads write records of 3000 bytes (more than any model's send chunk) to one socket at once. Each
     * {@code write} call must reach the peer in one piece (as on a JDK socket), and every record exactly once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.atmodem.soak.SoakTarget#all")
    void writesFromManyThreadsDoNotInterleave(SoakTarget target) throws Exception {
        open(target);
        int threads = 8;
        int records = Soak.pick(6, 60);
        int size = 3000;
        try (LoopbackPeer echo = LoopbackPeer.echo();
             Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            s.setSoTimeout(120_000);
            CompletableFuture<int[]> reader = CompletableFuture.supplyAsync(() -> readRecords(s, threads,
                    threads * records, size), Executors.POOL);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(CompletableFuture.runAsync(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        for (int n = 0; n < records; n++) {
                            out.write(record(thread, n, size));
                        }
                    } catch (IOException e) {
                        throw new AssertionError("writer " + thread + " failed: " + e, e);
                    }
                }, Executors.POOL));
            }
            for (CompletableFuture<Void> w : writers) {
                w.get(5, TimeUnit.MINUTES);
            }
            int[] perThread = reader.get(5, TimeUnit.MINUTES);
            for (int t = 0; t < threads; t++) {
                assertEquals(records, perThread[t], "records of writer " + t);
            }
            Soak.report("overload %-8s %d threads x %d writes of %d B on one socket: every write arrived whole,"
                    + " once, in each thread's order", target.name(), threads, records, size);
        }
    }

    /** A socket the application never reads stays bounded, whichever way its modem delivers data. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.atmodem.soak.SoakTarget#all")
    void aReaderThatNeverReadsIsBounded(SoakTarget target) throws Exception {
        if (target.pushes()) {
            boundedAndFailsClearlyWhenPushed(target);
        } else {
            boundedAndBackPressured(target);
        }
    }

    /**
     * The far end floods a socket the application never reads: the host buffer stays within the configured receive
     * buffer, the modem stops pulling, TCP back-pressure reaches the sender (it stalls), another socket keeps
     * working, and once the application reads, every byte arrives.
     */
    private void boundedAndBackPressured(SoakTarget target) throws Exception {
        open(target);
        int flood = 2 << 20;
        try (LoopbackPeer server = LoopbackPeer.manual();
             LoopbackPeer echo = LoopbackPeer.echo();
             Socket idle = modem.socketFactory().createSocket("localhost", server.port());
             Socket peer = server.accept(Duration.ofSeconds(30));
             Socket busy = modem.socketFactory().createSocket("localhost", echo.port())) {
            peer.setSendBufferSize(16 * 1024);
            AtomicLong written = new AtomicLong();
            byte[] data = new byte[flood];
            new Random(7).nextBytes(data);
            CompletableFuture<Void> flooder = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = peer.getOutputStream();
                    for (int off = 0; off < flood; off += 4096) {
                        out.write(data, off, Math.min(4096, flood - off));
                        written.addAndGet(Math.min(4096, flood - off));
                    }
                } catch (IOException e) {
                    throw new AssertionError("the flooding peer failed: " + e, e);
                }
            }, Executors.POOL);
            // the other socket works while one is stalled
            EchoCheck.run(busy, 32 * 1024, 3, Duration.ofSeconds(120));
            int maxBuffered = 0;
            long last = -1;
            int stableRounds = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (stableRounds < 20 && System.nanoTime() < until) {   // 20 x 50 ms without progress: stalled
                Thread.sleep(50);
                maxBuffered = Math.max(maxBuffered, idle.getInputStream().available());
                long w = written.get();
                stableRounds = w == last ? stableRounds + 1 : 0;
                last = w;
            }
            long stalledAt = written.get();
            assertTrue(stableRounds >= 20 && stalledAt < flood, "the peer was never held back: wrote " + stalledAt
                    + " of " + flood + " bytes");
            assertTrue(maxBuffered <= RECEIVE_BUFFER, "host buffer " + maxBuffered + " > " + RECEIVE_BUFFER);
            idle.setSoTimeout(120_000);
            byte[] got = new DataInputStream(idle.getInputStream()).readNBytes(flood);
            flooder.get(60, TimeUnit.SECONDS);
            assertArrayEquals(sha(data), sha(got), "the flooded bytes, read late");
            Soak.report("overload %-8s unread socket: host buffer peaked at %d B (limit %d), sender stalled after"
                            + " %d of %d B; another socket echoed meanwhile; all %d B read afterwards",
                    target.name(), maxBuffered, RECEIVE_BUFFER, stalledAt, flood, flood);
        }
    }

    /**
     * A modem that pushes data unasked (NINA-W: EDM data frames) cannot be held back per socket, so the bound is the
     * host's: the unread socket keeps at most 16 receive buffers, then fails in plain words after delivering the
     * flood's first bytes in order; memory stays bounded and another socket keeps working.
     */
    private void boundedAndFailsClearlyWhenPushed(SoakTarget target) throws Exception {
        open(target);
        int flood = 2 << 20;
        int limit = 16 * RECEIVE_BUFFER;
        try (LoopbackPeer server = LoopbackPeer.manual();
             LoopbackPeer echo = LoopbackPeer.echo();
             Socket idle = modem.socketFactory().createSocket("localhost", server.port());
             Socket peer = server.accept(Duration.ofSeconds(30));
             Socket busy = modem.socketFactory().createSocket("localhost", echo.port())) {
            byte[] data = new byte[flood];
            new Random(7).nextBytes(data);
            CompletableFuture<Void> flooder = CompletableFuture.runAsync(() -> {
                try {
                    peer.getOutputStream().write(data);
                } catch (IOException e) {
                    throw new AssertionError("the flooding peer failed: " + e, e);
                }
            }, Executors.POOL);
            EchoCheck.run(busy, 32 * 1024, 3, Duration.ofSeconds(120));
            flooder.get(120, TimeUnit.SECONDS);   // nothing holds the sender back: the modem pushes it all
            int maxBuffered = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < until) {
                int now = idle.getInputStream().available();
                maxBuffered = Math.max(maxBuffered, now);
                if (now >= limit - 4096) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(maxBuffered <= limit, "host buffer " + maxBuffered + " > " + limit);
            idle.setSoTimeout(60_000);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            IOException failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> {
                int n;
                while ((n = idle.getInputStream().read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            });
            assertTrue(failure.getMessage().contains("did not read"), failure.getMessage());
            assertTrue(got.size() > 0 && got.size() <= limit, got.size() + " bytes delivered");
            assertArrayEquals(java.util.Arrays.copyOf(data, got.size()), got.toByteArray(),
                    "the delivered bytes are the flood's first ones, in order");
            EchoCheck.run(busy, 8 * 1024, 4, Duration.ofSeconds(60));
            Soak.report("overload %-8s unread socket (pushed data): host buffer peaked at %d B (limit %d), %d of %d B"
                    + " delivered, then \"%s\"; another socket echoed before and after", target.name(), maxBuffered,
                    limit, got.size(), flood, failure.getMessage());
        }
    }

    private static byte[] record(int thread, int n, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(thread).putInt(n);
        Random r = new Random(thread * 100_003L + n);
        byte[] body = new byte[size - 8];
        r.nextBytes(body);
        b.put(body);
        return b.array();
    }

    /** Reads {@code total} records; each must be intact, each thread's in order. Returns records per thread. */
    private static int[] readRecords(Socket s, int threads, int total, int size) {
        int[] next = new int[threads];
        try {
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] buf = new byte[size];
            for (int i = 0; i < total; i++) {
                in.readFully(buf);
                ByteBuffer b = ByteBuffer.wrap(buf);
                int thread = b.getInt();
                int n = b.getInt();
                if (thread < 0 || thread >= threads || n != next[thread]) {
                    throw new AssertionError("record " + i + " starts with writer " + thread + " #" + n
                            + ": writes interleaved or were lost");
                }
                if (!Arrays.equals(buf, record(thread, n, size))) {
                    throw new AssertionError("record " + i + " (writer " + thread + " #" + n + ") is mixed with"
                            + " another write");
                }
                next[thread]++;
            }
            if (s.getInputStream().available() > 0) {
                throw new AssertionError("more bytes than were written");
            }
        } catch (IOException e) {
            throw new AssertionError("reading the records failed: " + e, e);
        }
        return next;
    }

    private static byte[] sha(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    /** Enough threads that eight writers, a reader and a flooder never wait for each other. */
    private static final class Executors {
        static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(
                r -> {
                    Thread t = new Thread(r, "soak-overload");
                    t.setDaemon(true);
                    return t;
                });
    }
}
