package dev.atmodem.testkit.contract;

import com.sun.net.httpserver.HttpServer;
import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.testkit.EchoCheck;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the sockets of every driver must do, written once and run once per driver: a driver's test module extends this
 * class, and its constructor says how to build the simulator and open the modem. Each scenario goes through the real
 * driver, the shared socket engine and the simulator over an in-memory link, against real servers on 127.0.0.1:
 * <ul>
 *   <li>an HTTP GET through the socket factory returns the whole body;</li>
 *   <li>1 MiB echoes byte-exact through a paced, fragmenting line (921600 baud; 115200 under {@code -Psoak});</li>
 *   <li>the model's every socket moves data at once on a paced line, and one more is refused with a clear message.</li>
 * </ul>
 * Scenarios that differ by driver (bring-up, error codes, the modem's own quirks) stay in the driver's tests.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class SocketContract {

    /** Opens the modem on a simulator with the driver's test options. */
    @FunctionalInterface
    protected interface Opener {
        Modem open(ModemSimulator sim) throws IOException;
    }

    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final String model;
    private final int maxSockets;
    private final Duration bulkEchoTimeout;
    private final IntFunction<ModemSimulator> simulator;
    private final Opener opener;

    /**
     * @param model           the model's name, as the printed figures show it
     * @param maxSockets      how many sockets the model has; the modem must report the same
     * @param bulkEchoTimeout how long the 1 MiB echo may take (the SARA's 50 ms pause per 1024-byte write makes it
     *                        slow)
     * @param simulator       a simulator of the driver's modem, paced at the given baud (0: unpaced)
     * @param opener          opens the modem with the driver's test options
     */
    protected SocketContract(String model, int maxSockets, Duration bulkEchoTimeout,
                             IntFunction<ModemSimulator> simulator, Opener opener) {
        this.model = model;
        this.maxSockets = maxSockets;
        this.bulkEchoTimeout = bulkEchoTimeout;
        this.simulator = simulator;
        this.opener = opener;
    }

    /** Further checks after the 1 MiB echo, such as which read command moved the data. */
    protected void afterBulkEcho(ModemSimulator sim) {
    }

    /** Closes {@code c} after the test, in reverse order of registration. */
    protected final <T extends AutoCloseable> T later(T c) {
        closeLater.add(0, c);
        return c;
    }

    /** A new simulator of the driver's modem, paced at {@code baud}, closed after the test. */
    protected final ModemSimulator simulator(int baud) {
        return later(simulator.apply(baud));
    }

    private Modem open(ModemSimulator sim) throws IOException {
        return later(opener.open(sim));
    }

    @AfterEach
    final void closeEverything() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    @Test
    void httpGetThroughTheSocketFactoryReturnsTheBody() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = ("hello from the other side of a " + model + "\n").repeat(100)
                .getBytes(StandardCharsets.UTF_8);
        http.createContext("/hello", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        http.start();
        later(() -> http.stop(0));
        Modem modem = open(simulator(0));
        try (Socket s = modem.socketFactory().createSocket("localhost", http.getAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertEquals(new String(body, StandardCharsets.UTF_8),
                    response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }

    /**
     * 1 MiB both ways. At 115200 baud that takes minutes (the line moves 11,520 B/s each way), so the normal suite
     * paces at 921600 baud and the soak run ({@code -Psoak}) at 115200. The rate is printed, not judged: the
     * benchmarks module measures it against the line's limit.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void oneMebibyteEchoesByteExactWithPacingAndFragmentation() throws Exception {
        int baud = Boolean.getBoolean("atmodem.soak") ? 115_200 : 921_600;
        ModemSimulator sim = simulator(baud);
        Modem modem = open(sim);
        LoopbackPeer echo = later(LoopbackPeer.echo());
        long t0 = System.nanoTime();
        try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
            EchoCheck.run(s, 1 << 20, 1, bulkEchoTimeout);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = (1 << 20) / seconds;
        System.out.printf("%s 1 MiB echo at %d baud: %.1f s, %.0f payload B/s each way, %.0f%% of the line limit"
                + " %d B/s%n", model, baud, seconds, rate, 100 * rate / (baud / 10.0), baud / 10);
        afterBulkEcho(sim);
    }

    /** Paced, so that the sockets share one line as on a real modem; 64 KiB each way per socket, byte-exact. */
    @Test
    void everySocketAtOnceByteExactAndOneMoreIsRefused() throws Exception {
        Modem modem = open(simulator(921_600));
        int max = modem.capabilities().maxSockets();
        assertEquals(maxSockets, max, "sockets of the " + model);
        LoopbackPeer echo = later(LoopbackPeer.echo());
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            sockets.add(later(modem.socketFactory().createSocket("localhost", echo.port())));
        }
        ModemException e = assertThrows(ModemException.class,
                () -> modem.socketFactory().createSocket("localhost", echo.port()));
        assertTrue(e.getMessage().contains("all " + max + " sockets"), e.getMessage());
        ExecutorService pool = Executors.newFixedThreadPool(max);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                Socket s = sockets.get(i);
                long seed = i;
                runs.add(pool.submit(() -> {
                    EchoCheck.run(s, 64 * 1024, seed, Duration.ofMinutes(2));
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
