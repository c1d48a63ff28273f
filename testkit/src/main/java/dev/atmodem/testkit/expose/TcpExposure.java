package dev.atmodem.testkit.expose;

import dev.atmodem.link.TcpLink;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves simulated modems on a TCP port of 127.0.0.1 ({@code tcp://127.0.0.1:PORT}, the form
 * {@code SerialLinks.open} understands). Each connection is a fresh modem, as if it had just been plugged in; it is
 * closed when the connection ends.
 */
public final class TcpExposure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpExposure.class);

    private final ServerSocket server;
    private final Supplier<ModemSimulator> factory;
    private final List<ModemSimulator> simulators = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private TcpExposure(ServerSocket server, Supplier<ModemSimulator> factory) {
        this.server = server;
        this.factory = factory;
        this.acceptor = new Thread(this::acceptLoop, "sim-tcp-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** Listens on 127.0.0.1:{@code port} (0 picks a free port). */
    public static TcpExposure start(int port, Supplier<ModemSimulator> factory) throws IOException {
        ServerSocket s = new ServerSocket(port, 4, InetAddress.getLoopbackAddress());
        TcpExposure e = new TcpExposure(s, factory);
        e.acceptor.start();
        return e;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code tcp://127.0.0.1:PORT}. */
    public String url() {
        return "tcp://127.0.0.1:" + port();
    }

    /** The simulators of the connections so far that are still open, oldest first (for faults and stats). */
    public List<ModemSimulator> simulators() {
        simulators.removeIf(ModemSimulator::isClosed);
        return List.copyOf(simulators);
    }

    /** The newest open simulator, waiting up to {@code millis} for a connection to arrive. */
    public ModemSimulator awaitSimulator(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            List<ModemSimulator> l = simulators();
            if (!l.isEmpty()) {
                return l.get(l.size() - 1);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("nobody connected to " + url() + " within " + millis + " ms");
            }
            Thread.sleep(10);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
                s.setTcpNoDelay(true);
            } catch (IOException e) {
                log.debug("{} stops accepting: {}", url(), e.toString());
                return;
            }
            ModemSimulator sim = factory.get().closeWhenHostGone();
            simulators.add(sim);
            try {
                sim.attach(TcpLink.wrap(s));
                log.info("{}: {} attached for {}", url(), sim, s.getRemoteSocketAddress());
            } catch (RuntimeException e) {
                log.warn("{}: cannot attach a simulator: {}", url(), e.toString());
                sim.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", url(), e.toString());
        }
        for (ModemSimulator sim : simulators) {
            sim.close();
        }
        simulators.clear();
    }
}
