package dev.atmodem.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real mosquitto broker on 127.0.0.1 for one test ({@code apt-get install mosquitto}; .ci/run installs it). */
final class Mosquitto implements AutoCloseable {

    private static final Path[] CANDIDATES = {Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"), Path.of("/usr/local/bin/mosquitto")};

    private final Process process;
    private final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The broker binary, or null when mosquitto is not installed. */
    static Path binary() {
        for (Path p : CANDIDATES) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Starts a broker on a free port of 127.0.0.1 with unlimited queues (a slow subscriber must not lose messages). */
    static Mosquitto start(Path dir) throws IOException, InterruptedException {
        Path bin = binary();
        if (bin == null) {
            throw new IllegalStateException("mosquitto is not installed");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages 0",
                "max_inflight_messages 0",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                ""));
        Process p = new ProcessBuilder(bin.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        Mosquitto m = new Mosquitto(p, port);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                probe.setSoLinger(true, 0);
                return m;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > until) {
                    m.close();
                    throw new IOException("mosquitto did not start on 127.0.0.1:" + port + ": "
                            + Files.readString(dir.resolve("mosquitto.log")), e);
                }
                Thread.sleep(50);
            }
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
