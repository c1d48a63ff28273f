package dev.atmodem.link;

import com.fazecast.jSerialComm.SerialPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A physical (or pseudo-terminal) serial port through jSerialComm, 8N1.
 *
 * <p>Reads poll in short slices so that {@link #close()} from another thread is seen promptly. jSerialComm ignores
 * write timeouts on Linux, so every write is guarded by a watchdog that closes the port when the write stalls past
 * {@link SerialOptions#writeStallTimeout()} (a modem holding CTS low forever, a vanished USB adapter); the writer then
 * gets an {@link IOException} instead of hanging.
 */
final class JSerialCommLink implements SerialLink {

    private static final Logger log = LoggerFactory.getLogger(JSerialCommLink.class);
    private static final int READ_SLICE_MS = 100;

    /** One daemon thread for all ports: the watchdog only ever closes a port, it never blocks. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "atmodem-serial-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SerialPort port;
    private final String name;
    private final SerialOptions options;
    private final InputStream input = new PortInput();
    private final OutputStream output = new PortOutput();
    private volatile boolean open = true;
    private volatile String closeReason;

    private JSerialCommLink(SerialPort port, String name, SerialOptions options) {
        this.port = port;
        this.name = name;
        this.options = options;
    }

    static JSerialCommLink open(String path, SerialOptions options) throws IOException {
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path);
        } catch (RuntimeException e) {
            throw new IOException("cannot open serial port " + path + ": there is no such device (" + e.getMessage()
                    + "); check the path, e.g. /dev/ttyUSB2, /dev/serial0 or COM3", e);
        }
        port.setComPortParameters(options.baud(), 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(options.rtsCts()
                ? SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED
                : SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                READ_SLICE_MS, 0);
        if (!port.openPort()) {
            throw new IOException("cannot open serial port " + path + " (error " + port.getLastErrorCode()
                    + "): check that it exists, that no other program holds it, and that this user may open it"
                    + " (on Linux: member of the dialout group)");
        }
        return new JSerialCommLink(port, path + "@" + options.baud(), options);
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public int lineBaud() {
        return options.baud();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isOpen() {
        return open && port.isOpen();
    }

    @Override
    public void close() {
        closeWith(null);
    }

    private void closeWith(String reason) {
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
            closeReason = reason;
        }
        port.closePort();
    }

    private IOException closedException() {
        String reason = closeReason;
        return new IOException("serial port " + name + " is closed" + (reason == null ? "" : ": " + reason));
    }

    private final class PortInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (!open) {
                    return -1;
                }
                int n = port.readBytes(b, len, off);
                if (n > 0) {
                    return n;
                }
                if (n < 0) {
                    if (!open) {
                        return -1;
                    }
                    closeWith("the port stopped answering (unplugged?)");
                    throw new IOException("serial port " + name + " failed while reading (error "
                            + port.getLastErrorCode() + "): the device may have been unplugged");
                }
            }
        }
    }

    private final class PortOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!open) {
                throw closedException();
            }
            long stallMs = options.writeStallTimeout().toMillis();
            ScheduledFuture<?> guard = WATCHDOG.schedule(() -> {
                log.warn("write to {} stalled for {} ms; closing the port", name, stallMs);
                closeWith("a write stalled for " + stallMs + " ms (flow control stuck or device gone)");
            }, stallMs, TimeUnit.MILLISECONDS);
            try {
                while (len > 0) {
                    int n = port.writeBytes(b, len, off);
                    if (n <= 0) {
                        if (!open) {
                            throw closedException();
                        }
                        closeWith("a write failed (device gone?)");
                        throw new IOException("serial port " + name + " failed while writing (error "
                                + port.getLastErrorCode() + ")");
                    }
                    off += n;
                    len -= n;
                }
            } finally {
                guard.cancel(false);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
