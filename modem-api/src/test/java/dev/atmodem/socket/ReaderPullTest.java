package dev.atmodem.socket;

import dev.atmodem.at.AtEngine;
import dev.atmodem.at.Cancellation;
import dev.atmodem.link.PipeLink;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.ReadChunk;
import dev.atmodem.testing.TestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who pulls a socket's data off the modem: an application thread waiting in {@code read()} pulls the next chunk itself
 * (no hop through the event thread), a read with a short timeout leaves it to the pump, and a close during a reader's
 * pull reaches the modem only after that pull. The driver here is a fake session that records which thread ran each
 * read command; no data-ready events are sent, so every pull starts from the reader's poll.
 */
class ReaderPullTest {

    private static final int CHUNK = TestDriver.CAPS.maxReadChunk();

    private PipeLink.Pair line;
    private AtEngine at;
    private SocketEngine engine;
    private FakeSession modem;

    @BeforeEach
    void setUp() throws IOException {
        line = PipeLink.pair("reader-pull");
        at = new AtEngine(line.host(), AtEngine.Settings.defaults()).start();
        engine = new SocketEngine(at, TestDriver.CAPS, new SocketEngine.Settings(Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100), 64 * 1024));
        modem = new FakeSession();
        engine.bind(modem);
    }

    @AfterEach
    void tearDown() {
        modem.release.countDown();
        at.close();
    }

    @Test
    void aReaderWithoutATimeoutPullsEveryChunkOnItsOwnThread() throws Exception {
        byte[] data = random(10 * CHUNK + 123);
        SocketHandle h = engine.connect("peer.test", 80, null, Cancellation.NONE);
        modem.hold(data);
        assertArrayEquals(data, readAll(h, data.length, 0));
        assertTrue(modem.readThreads.size() >= 11, modem.readThreads.toString());
        String me = Thread.currentThread().getName();
        assertTrue(modem.readThreads.stream().allMatch(me::equals), "reads ran on " + modem.readThreads);
    }

    @Test
    void aReaderWithAShortTimeoutLeavesThePullsToTheEventThread() throws Exception {
        byte[] data = random(3 * CHUNK);
        SocketHandle h = engine.connect("peer.test", 80, null, Cancellation.NONE);
        modem.hold(data);
        assertArrayEquals(data, readAll(h, data.length, 500));
        assertTrue(modem.readThreads.size() >= 3, modem.readThreads.toString());
        assertTrue(modem.readThreads.stream().allMatch(t -> t.startsWith("atmodem-events")),
                "reads ran on " + modem.readThreads);
    }

    @Test
    void closingDuringAReadersPullClosesOnTheModemOnlyAfterThatPull() throws Exception {
        SocketHandle h = engine.connect("peer.test", 80, null, Cancellation.NONE);
        modem.blockReads = true;
        modem.hold(random(100));
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                h.read(new byte[100], 0, 100, 0);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        assertTrue(modem.readEntered.await(5, TimeUnit.SECONDS), "the reader never pulled");
        h.close();
        // The id must stay taken while the read command is under way: closed now, a new socket could be given the id
        // and have its first bytes read into this closed one.
        Thread.sleep(300);
        assertEquals(List.of(), modem.closes, "closed on the modem while a read command for it was under way");
        modem.release.countDown();
        assertInstanceOf(SocketException.class, reader.get(5, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (modem.closes.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("close 0 after the read returned"), modem.closes);
    }

    @Test
    void anInterruptDuringAReadersPullNeitherLosesTheChunkNorFailsTheSocket() throws Exception {
        SocketHandle h = engine.connect("peer.test", 80, null, Cancellation.NONE);
        byte[] data = random(2 * CHUNK);
        modem.viaLine = at; // the read command goes on the line and waits there for the modem's OK
        modem.hold(data);
        CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                byte[] buf = new byte[4096];
                int n = h.read(buf, 0, buf.length, 0);
                got.write(buf, 0, n);
                interruptKept.complete(Thread.interrupted());
                got.write(readAll(h, data.length - n, 0));
            } catch (IOException | RuntimeException e) {
                interruptKept.completeExceptionally(e);
            }
        }, "interrupted-reader");
        reader.start();
        assertTrue(modem.readEntered.await(5, TimeUnit.SECONDS), "the reader never pulled");
        Thread.sleep(100); // the command is on the line
        reader.interrupt();
        Thread.sleep(100);
        modem.viaLine = null;
        line.modem().output().write("\r\nOK\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(interruptKept.get(5, TimeUnit.SECONDS), "the interrupt was swallowed");
        reader.join(5000);
        assertArrayEquals(data, got.toByteArray());
        assertTrue(!h.hasFailed(), "an interrupt must not fail the socket");
    }

    @Test
    void aReaderQueuedBehindAnotherCommandWakesAtOnceOnClose() throws Exception {
        SocketHandle h = socketWhoseReadsGoOverTheLine();
        CompletableFuture<Void> busy = holdTheLine(3);
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
            try {
                h.read(new byte[100], 0, 100, 0);
                throw new AssertionError("read returned instead of failing");
            } catch (SocketException e) {
                return System.nanoTime();
            } catch (IOException e) {
                throw new AssertionError("wrong exception", e);
            }
        });
        assertTrue(modem.readEntered.await(5, TimeUnit.SECONDS), "the reader never pulled");
        Thread.sleep(100); // queued behind the busy command
        long closedAt = System.nanoTime();
        h.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(reader.get(5, TimeUnit.SECONDS) - closedAt);
        assertTrue(ms <= 500, "a reader queued for the line woke " + ms + " ms after close");
        busy.cancel(true);
    }

    @Test
    void anInterruptWhileTheReadersPullWaitsForTheLineEndsTheReadAndKeepsTheSocket() throws Exception {
        SocketHandle h = socketWhoseReadsGoOverTheLine();
        CompletableFuture<Void> busy = holdTheLine(3);
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                h.read(new byte[100], 0, 100, 0);
                result.complete(null);
            } catch (IOException e) {
                result.complete(e);
            }
        }, "interrupted-while-queued");
        reader.start();
        assertTrue(modem.readEntered.await(5, TimeUnit.SECONDS), "the reader never pulled");
        Thread.sleep(100); // queued behind the busy command
        reader.interrupt();
        assertInstanceOf(java.io.InterruptedIOException.class, result.get(2, TimeUnit.SECONDS));
        assertTrue(!h.hasFailed(), "an interrupt must not fail the socket");
        busy.cancel(true);
    }

    @Test
    void aReaderQueuedBehindAnotherCommandKeepsItsTimeout() throws Exception {
        SocketHandle h = socketWhoseReadsGoOverTheLine();
        CompletableFuture<Void> busy = holdTheLine(4);
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> h.read(new byte[100], 0, 100, 1500));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(modem.readEntered.getCount() == 0, "the reader never tried to pull");
        assertTrue(ms < 3000, "a 1500 ms read timeout ended after " + ms + " ms, behind a 4 s command");
        assertTrue(!h.hasFailed(), "giving up the line's queue must not fail the socket");
        busy.cancel(true);
    }

    @Test
    void aReaderComingBackForMoreIsNeverLeftWaitingForThePoll() throws Exception {
        // Polls every 30 s: a reader left waiting for a pull nobody makes would hang this test.
        at.close();
        at = new AtEngine(PipeLink.pair("reader-pull-2").host(), AtEngine.Settings.defaults()).start();
        engine = new SocketEngine(at, TestDriver.CAPS, new SocketEngine.Settings(Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), 64 * 1024));
        modem = new FakeSession();
        engine.bind(modem);
        SocketHandle h = engine.connect("peer.test", 80, null, Cancellation.NONE);
        assertTimeoutPreemptively(Duration.ofSeconds(25), () -> {
            for (int round = 0; round < 300; round++) {
                byte[] data = random(3 * CHUNK + round);
                modem.hold(data);
                engine.dataReady(0); // the pump takes the first chunk, the reader the rest
                assertArrayEquals(data, readAll(h, data.length, 0), "round " + round);
            }
        });
    }

    /** Socket 0, its modem holding 100 bytes, its read commands sent over the AT engine (so they queue for the line). */
    private SocketHandle socketWhoseReadsGoOverTheLine() throws IOException {
        SocketHandle h = engine.connect("peer.test", 80, null, Cancellation.NONE);
        modem.hold(random(100));
        modem.viaLine = at;
        return h;
    }

    /** Another thread's command that the (silent) line never answers: it holds the line for {@code seconds}. */
    private CompletableFuture<Void> holdTheLine(int seconds) throws InterruptedException {
        CountDownLatch sent = new CountDownLatch(1);
        CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
            try {
                sent.countDown();
                at.execute(dev.atmodem.at.AtCommand.of("AT+BUSY").timeout(Duration.ofSeconds(seconds)).build());
            } catch (IOException e) {
                // it times out: the line is silent
            }
        });
        assertTrue(sent.await(5, TimeUnit.SECONDS));
        Thread.sleep(100);
        return f;
    }

    private static byte[] readAll(SocketHandle h, int length, int timeoutMillis) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (got.size() < length) {
            int n = h.read(buf, 0, buf.length, timeoutMillis);
            assertTrue(n > 0, "read returned " + n);
            got.write(buf, 0, n);
        }
        return got.toByteArray();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Socket 0 of a modem that holds what the test gives it and answers read commands from it. */
    private static final class FakeSession implements DriverSession {
        final List<String> readThreads = new CopyOnWriteArrayList<>();
        final List<String> closes = new CopyOnWriteArrayList<>();
        final CountDownLatch readEntered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean blockReads;
        /** Reads go over the AT engine first (so they queue behind other commands on the line). */
        volatile AtEngine viaLine;
        private volatile boolean readReturned;
        private final ArrayDeque<Byte> held = new ArrayDeque<>();

        synchronized void hold(byte[] data) {
            for (byte b : data) {
                held.add(b);
            }
        }

        @Override
        public void bringUp() {
        }

        @Override
        public void attach() {
        }

        @Override
        public int openTcp(String host, int port, Duration timeout, Cancellation cancel) {
            return 0;
        }

        @Override
        public int send(int id, byte[] b, int off, int len, Cancellation cancel) {
            return len;
        }

        @Override
        public ReadChunk read(int id, int max) throws IOException {
            readThreads.add(Thread.currentThread().getName());
            if (viaLine != null) {
                readEntered.countDown();
                viaLine.execute(dev.atmodem.at.AtCommand.of("AT+TREAD=" + id + "," + max).build());
            }
            if (blockReads) {
                readEntered.countDown();
                try {
                    if (!release.await(10, TimeUnit.SECONDS)) {
                        throw new IOException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            try {
                synchronized (this) {
                    byte[] chunk = new byte[Math.min(max, held.size())];
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = held.poll();
                    }
                    return new ReadChunk(chunk, held.size());
                }
            } finally {
                readReturned = true;
            }
        }

        @Override
        public void close(int id) {
            closes.add("close " + id + (readReturned ? " after the read returned" : " during the read"));
        }
    }
}
