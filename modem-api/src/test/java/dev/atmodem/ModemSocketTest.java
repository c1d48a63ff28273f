package dev.atmodem;

import dev.atmodem.testing.EchoServer;
import dev.atmodem.testing.Feed;
import dev.atmodem.testing.TestModem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The java.net.Socket contract of modem sockets, end to end: the Modem facade with the scripted TEST driver, over an
 * in-memory serial link to a fake modem whose sockets are real TCP connections to a server on 127.0.0.1.
 */
class ModemSocketTest {

    private TestModem fake;
    private Modem modem;
    private EchoServer echo;

    @BeforeEach
    void setUp() throws Exception {
        fake = new TestModem();
        fake.feed = Feed.RANDOM_PIECES;
        echo = new EchoServer();
        modem = Modem.open(fake.hostLink(), ModemOptions.defaults().withPolling(Duration.ofMillis(100),
                Duration.ofMillis(400)).withWriteTimeout(Duration.ofSeconds(20)));
    }

    @AfterEach
    void tearDown() throws Exception {
        modem.close();
        fake.close();
        echo.close();
    }

    private Socket connectEcho() throws IOException {
        return modem.socketFactory().createSocket("echo.test", echo.port());
    }

    @Test
    void modemIsDetectedThroughServiceLoader() {
        assertEquals("test", modem.driverName());
        assertEquals("TM-1", modem.capabilities().model());
        assertEquals("Acme", modem.identity().manufacturer());
        assertTrue(fake.commands.contains("ATE0"), fake.commands.toString());
    }

    @Test
    void readNeverReturnsMoreThanLenAndDeliversEveryByteInOrder() throws Exception {
        byte[] data = random(3000, 1);
        try (Socket s = connectEcho()) {
            s.getOutputStream().write(data);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[64];
            while (got.size() < data.length) {
                int n = in.read(buf, 10, 7);
                assertTrue(n >= 1 && n <= 7, "read returned " + n);
                got.write(buf, 10, n);
            }
            assertArrayEquals(data, got.toByteArray());
        }
    }

    @Test
    void soTimeoutThrowsSocketTimeoutExceptionAndTheSocketStaysUsable() throws Exception {
        try (Socket s = connectEcho()) {
            s.setSoTimeout(300);
            assertEquals(300, s.getSoTimeout());
            InputStream in = s.getInputStream();
            assertThrows(SocketTimeoutException.class, in::read);
            assertTrue(s.isConnected() && !s.isClosed());
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), in.readNBytes(4));
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReadWithin100ms() throws Exception {
        Socket s = connectEcho();
        CompletableFuture<Long> woke = CompletableFuture.supplyAsync(() -> {
            try {
                s.getInputStream().read();
                throw new AssertionError("read returned instead of failing");
            } catch (SocketException e) {
                return System.nanoTime();
            } catch (IOException e) {
                throw new AssertionError("wrong exception type", e);
            }
        });
        Thread.sleep(300); // let the reader block
        long closedAt = System.nanoTime();
        s.close();
        long wokeAt = woke.get(5, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(wokeAt - closedAt);
        assertTrue(ms <= 100, "blocked read woke " + ms + " ms after close");
    }

    @Test
    void closeFromAnotherThreadWakesABlockedWriteWithin100ms() throws Exception {
        Socket s = connectEcho();
        fake.sendFailAlways = true; // the modem's send buffer stays full: the writer is stuck retrying
        assertCloseEndsAWriteWithin100ms(s, "blocked write");
    }

    @Test
    void closeFromAnotherThreadEndsAWriteWaitingForTheModemsResultWithin100ms() throws Exception {
        Socket s = connectEcho();
        fake.withholdSendResult = true; // the payload went out; its SEND OK never comes (the send's timeout is long)
        assertCloseEndsAWriteWithin100ms(s, "write waiting for its result");
    }

    /** A write of 100 bytes that the modem never completes, then a close from this thread half a second later. */
    private static void assertCloseEndsAWriteWithin100ms(Socket s, String what) throws Exception {
        CompletableFuture<Long> woke = CompletableFuture.supplyAsync(() -> {
            try {
                s.getOutputStream().write(new byte[100]);
                throw new AssertionError(what + " returned although the modem never took the bytes");
            } catch (SocketException e) {
                return System.nanoTime();
            } catch (IOException e) {
                throw new AssertionError("wrong exception type", e);
            }
        });
        Thread.sleep(500);
        long closedAt = System.nanoTime();
        s.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(woke.get(5, TimeUnit.SECONDS) - closedAt);
        assertTrue(ms <= 100, what + " woke " + ms + " ms after close");
    }

    @Test
    void connectWithAnUnresolvedAddressDialsTheHostString() throws Exception {
        try (Socket s = modem.newSocket()) {
            s.connect(InetSocketAddress.createUnresolved("echo.test", echo.port()), 5000);
            assertTrue(s.isConnected());
            assertTrue(fake.commands.contains("AT+TOPEN=0,\"echo.test\"," + echo.port()), fake.commands.toString());
            assertEquals("echo.test", s.getInetAddress().getHostName(), "no reverse DNS: the name as given");
            assertEquals(echo.port(), s.getPort());
        }
    }

    @Test
    void a100KbWriteIsSplitIntoTheModelsChunkLimitAndArrivesByteExact() throws Exception {
        byte[] data = random(100 * 1024, 2);
        try (Socket s = connectEcho()) {
            CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.getInputStream().readNBytes(data.length);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            s.getOutputStream().write(data);
            assertArrayEquals(data, back.get(60, TimeUnit.SECONDS));
        }
        assertTrue(fake.sendSizes.stream().allMatch(n -> n <= TestModem.MAX_SEND), "a chunk exceeded the limit");
        assertEquals(data.length, fake.sendSizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(fake.sendSizes.size() >= data.length / TestModem.MAX_SEND);
    }

    @Test
    void sendFailIsRiddenOutWithoutLosingOrDuplicatingBytes() throws Exception {
        byte[] data = random(5000, 3);
        try (Socket s = connectEcho()) {
            fake.sendFailNext.set(5);
            s.getOutputStream().write(data);
            s.setSoTimeout(10_000);
            assertArrayEquals(data, s.getInputStream().readNBytes(data.length));
        }
    }

    @Test
    void missedDataReadyUrcsAreCoveredByPolling() throws Exception {
        fake.recvUrcs = false;
        try (Socket s = connectEcho()) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("no urc".getBytes(StandardCharsets.US_ASCII));
            assertEquals("no urc", new String(s.getInputStream().readNBytes(6), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void remoteCloseDeliversBufferedDataThenEndOfStream() throws Exception {
        byte[] greeting = random(4000, 4);
        try (EchoServer hangUp = new EchoServer(greeting, true);
             Socket s = modem.socketFactory().createSocket("127.0.0.1", hangUp.port())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            assertArrayEquals(greeting, in.readNBytes(greeting.length));
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[10], 0, 10));
        }
    }

    @Test
    void eventsThatRaceTheConnectResultAreNeverLost() throws Exception {
        byte[] greeting = "hi!".getBytes(StandardCharsets.US_ASCII);
        try (EchoServer hangUp = new EchoServer(greeting, true)) {
            for (int i = 0; i < 30; i++) {
                // data and the remote close reach the modem right after the connect: their URCs follow +TOPEN
                try (Socket s = modem.socketFactory().createSocket("127.0.0.1", hangUp.port())) {
                    s.setSoTimeout(5_000);
                    assertArrayEquals(greeting, s.getInputStream().readNBytes(3), "run " + i);
                    assertEquals(-1, s.getInputStream().read(), "run " + i);
                }
            }
        }
    }

    @Test
    void anEventForAClosedConnectionNeverReachesTheNextOneOnTheSameId() throws Exception {
        fake.closedUrcBeforeCloseOk = true; // the old connection's "closed" lands just before the close's OK
        for (int i = 0; i < 10; i++) {
            Socket s = connectEcho();
            roundTrip(s);
            s.close();
            // the id comes back once the engine has finished closing it; the next socket reuses it
            try (Socket next = connectEcho()) {
                roundTrip(next);
                next.setSoTimeout(300);
                assertThrows(SocketTimeoutException.class, () -> next.getInputStream().read(),
                        "a stale end of stream reached the new connection (run " + i + ")");
            }
        }
        long reused = fake.commands.stream().filter(c -> c.startsWith("AT+TOPEN=0,")).count();
        assertTrue(reused >= 10, "id 0 was reused " + reused + " times: " + fake.commands);
    }

    @Test
    void roundTripsAreCounted() throws Exception {
        try (Socket s = connectEcho()) {
            roundTrip(s);
            roundTrip(s);
            assertEquals(2, ((ModemSocket) s).roundTrips());
            assertEquals(10, ((ModemSocket) s).bytesRead());
            assertEquals(10, ((ModemSocket) s).bytesSent());
        }
    }

    @Test
    void aConnectTimeoutIsASocketTimeoutException() throws Exception {
        fake.silent = true;
        try (Socket s = modem.newSocket()) {
            assertThrows(SocketTimeoutException.class,
                    () -> s.connect(InetSocketAddress.createUnresolved("echo.test", echo.port()), 300));
        }
    }

    @Test
    void bearerLossFailsOpenSocketsWithAClearException() throws Exception {
        try (Socket s = connectEcho()) {
            s.setSoTimeout(10_000);
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try {
                    s.getInputStream().read();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(100);
            fake.inject("\r\n+TPDP: DEACT\r\n");
            ExecutionException e = assertThrows(ExecutionException.class, () -> reader.get(5, TimeUnit.SECONDS));
            IOException cause = assertInstanceOf(IOException.class, e.getCause().getCause());
            assertTrue(cause.getMessage().contains("data connection dropped"), cause.getMessage());
            IOException w = assertThrows(IOException.class, () -> s.getOutputStream().write(1));
            assertTrue(w.getMessage().contains("data connection dropped"), w.getMessage());
        }
        // the supervisor brings the fake modem back by itself; then sockets work again
        modem.awaitReady(Duration.ofSeconds(30));
        try (Socket again = connectEcho()) {
            roundTrip(again);
        }
    }

    /** A driver without model-specific features offers none; the modem's line is plain (no framing installed). */
    @Test
    void aDriverWithoutFeaturesOffersNoneAndTheLineStaysPlain() throws Exception {
        assertTrue(modem.feature(Runnable.class).isEmpty());
        try (Socket s = connectEcho()) {
            roundTrip(s);
        }
    }

    @Test
    void withoutRecoveryNewSocketsAreRefusedClearlyAfterABearerLoss() throws Exception {
        try (TestModem other = new TestModem();
             Modem m = Modem.open(other.hostLink(), ModemOptions.defaults()
                     .withRecovery(false, Duration.ofSeconds(1), Duration.ofSeconds(1)))) {
            other.inject("\r\n+TPDP: DEACT\r\n");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (m.state() != ModemState.RECOVERING && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(ModemState.RECOVERING, m.state());
            ModemException refused = assertThrows(ModemException.class,
                    () -> m.socketFactory().createSocket("echo.test", echo.port()));
            assertTrue(refused.getMessage().contains("data connection dropped"), refused.getMessage());
        }
    }

    @Test
    void allFiveFactoryOverloadsWork() throws Exception {
        SocketFactory f = modem.socketFactory();
        InetAddress loop = InetAddress.getByName("127.0.0.1");
        List<Socket> sockets = List.of(
                f.createSocket("echo.test", echo.port()),
                f.createSocket("echo.test", echo.port(), null, 0),
                f.createSocket(loop, echo.port()),
                f.createSocket(loop, echo.port(), null, 0));
        try {
            for (Socket s : sockets) {
                roundTrip(s);
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        try (Socket s = f.createSocket()) {
            s.connect(new InetSocketAddress(loop, echo.port()));
            roundTrip(s);
        }
        assertThrows(SocketException.class, () -> f.createSocket("echo.test", echo.port(), null, 1234));
    }

    @Test
    void moreSocketsThanTheModelSupportsAreRefusedClearly() throws Exception {
        Socket[] open = new Socket[4];
        try {
            for (int i = 0; i < open.length; i++) {
                open[i] = connectEcho();
            }
            ModemException e = assertThrows(ModemException.class, this::connectEcho);
            assertTrue(e.getMessage().contains("all 4 sockets"), e.getMessage());
        } finally {
            for (Socket s : open) {
                if (s != null) {
                    s.close();
                }
            }
        }
        try (Socket again = connectEcho()) {
            roundTrip(again);
        }
    }

    @Test
    void concurrentSocketsShareTheLineWithoutMixingBytes() throws Exception {
        CompletableFuture<?>[] all = new CompletableFuture<?>[4];
        for (int i = 0; i < all.length; i++) {
            int seed = i;
            all[i] = CompletableFuture.runAsync(() -> {
                byte[] data = random(20_000, 100 + seed);
                try (Socket s = connectEcho()) {
                    s.setSoTimeout(30_000);
                    CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                        try {
                            return s.getInputStream().readNBytes(data.length);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    });
                    s.getOutputStream().write(data);
                    assertArrayEquals(data, back.get(60, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        CompletableFuture.allOf(all).get(90, TimeUnit.SECONDS);
    }

    @Test
    void resolveUsesTheModemsDns() throws Exception {
        List<InetAddress> a = modem.resolve("broker.test");
        assertEquals("127.0.0.1", a.get(0).getHostAddress());
        assertEquals("broker.test", a.get(0).getHostName());
        ModemException e = assertThrows(ModemException.class, () -> modem.resolve("nowhere.invalid"));
        assertTrue(e.getMessage().contains("nowhere.invalid"), e.getMessage());
    }

    @Test
    void closingTheModemFailsItsSockets() throws Exception {
        Socket s = connectEcho();
        modem.close();
        IOException e = assertThrows(IOException.class, () -> s.getInputStream().read());
        assertTrue(e.getMessage().contains("the modem test-modem was closed"), e.getMessage());
    }

    /** As on a JDK socket, each write() reaches the peer in one piece even when other threads write at once. */
    @Test
    void concurrentWritesDoNotInterleave() throws Exception {
        int threads = 6;
        int records = 5;
        int size = 4 * TestModem.MAX_SEND + 3;   // several chunks per write: room to interleave
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try (Socket s = connectEcho()) {
            s.setSoTimeout(30_000);
            List<CompletableFuture<Void>> writers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte fill = (byte) ('a' + t);
                writers.add(CompletableFuture.runAsync(() -> {
                    byte[] rec = new byte[size];
                    Arrays.fill(rec, fill);
                    try {
                        for (int i = 0; i < records; i++) {
                            s.getOutputStream().write(rec);
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }, pool));
            }
            byte[] got = s.getInputStream().readNBytes(threads * records * size);
            for (CompletableFuture<Void> w : writers) {
                w.get(30, TimeUnit.SECONDS);
            }
            int[] perWriter = new int[threads];
            for (int r = 0; r < threads * records; r++) {
                byte first = got[r * size];
                for (int i = 1; i < size; i++) {
                    assertEquals(first, got[r * size + i], "record " + r + " mixes two writes at byte " + i);
                }
                perWriter[first - 'a']++;
            }
            for (int t = 0; t < threads; t++) {
                assertEquals(records, perWriter[t], "writes of thread " + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWriterWaitingForAnotherIsWokenByClose() throws Exception {
        Socket s = connectEcho();
        fake.sendFailAlways = true;   // the first writer holds the socket, retrying refused chunks
        CompletableFuture<IOException> first = CompletableFuture.supplyAsync(() -> assertThrows(IOException.class,
                () -> s.getOutputStream().write(new byte[10])));
        Thread.sleep(200);
        CompletableFuture<IOException> second = CompletableFuture.supplyAsync(() -> assertThrows(IOException.class,
                () -> s.getOutputStream().write(new byte[10])));
        Thread.sleep(200);
        s.close();
        assertInstanceOf(SocketException.class, first.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SocketException.class, second.get(10, TimeUnit.SECONDS));
    }

    private static void roundTrip(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write("hello".getBytes(StandardCharsets.US_ASCII));
        assertEquals("hello", new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return Arrays.copyOf(b, n);
    }
}
