package dev.atmodem.link;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A byte duplex to a modem: a serial port, a TCP connection to a remote serial port, a simulator, an in-memory pipe.
 * A link knows nothing about AT commands.
 *
 * <p>Contract: {@link #input()} blocks until at least one byte is available and returns -1 only when the link is
 * closed or gone; {@link #close()} from any thread wakes a blocked reader and writer, which then throw or return -1.
 */
public interface SerialLink extends Closeable {

    InputStream input() throws IOException;

    OutputStream output() throws IOException;

    /** A human name for logs and errors, e.g. {@code /dev/ttyUSB2@115200} or {@code tcp://127.0.0.1:5555}. */
    String name();

    boolean isOpen();

    /**
     * The rate at which the link carries bytes, in baud (8N1), when it is a paced serial line whose rate is known; 0
     * when unknown or unpaced (a TCP bridge, an unpaced pipe). Writers whose data needs no answer use it to keep their
     * backlog small (see {@link FramedLink#writeRaw}).
     */
    default int lineBaud() {
        return 0;
    }

    @Override
    void close() throws IOException;
}
