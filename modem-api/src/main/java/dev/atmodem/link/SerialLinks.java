package dev.atmodem.link;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** Opens links by name: a serial device path, or {@code tcp://host:port} for a remote serial port or a simulator. */
public final class SerialLinks {

    private static final Duration TCP_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private SerialLinks() {
    }

    /** Opens {@code path} (a device such as {@code /dev/ttyUSB2}, {@code COM3}, or {@code tcp://host:port}). */
    public static SerialLink open(String path, int baud) throws IOException {
        return open(path, SerialOptions.of(baud));
    }

    public static SerialLink open(String path, SerialOptions options) throws IOException {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("serial port path is empty");
        }
        if (path.startsWith("tcp://")) {
            URI uri = URI.create(path);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("expected tcp://HOST:PORT but got " + path);
            }
            return TcpLink.connect(uri.getHost(), uri.getPort(), TCP_CONNECT_TIMEOUT);
        }
        return JSerialCommLink.open(path, options);
    }

    /** Two in-memory links wired back to back: what one side writes, the other reads. */
    public static PipeLink.Pair pipe() {
        return PipeLink.pair("pipe");
    }
}
