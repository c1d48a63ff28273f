package dev.atmodem.link;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Wraps any link and reports every byte that crosses it to a {@link Sink}: the raw-byte trace in the log, or a
 * transcript recorder. The byte trace complements the AT engine's command-level trace ({@code dev.atmodem.at.trace}).
 */
public final class TracingLink implements SerialLink {

    /** Which way bytes went. */
    public enum Direction { TO_MODEM, FROM_MODEM }

    /** Receives a copy of the bytes; must not block for long, it runs on the reading or writing thread. */
    @FunctionalInterface
    public interface Sink {
        void bytes(Direction direction, byte[] b, int off, int len);
    }

    private final SerialLink delegate;
    private final Sink sink;
    private InputStream input;
    private OutputStream output;

    public TracingLink(SerialLink delegate, Sink sink) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Logs the raw bytes at TRACE on {@code dev.atmodem.link.trace}, control bytes visible, secrets redacted. */
    public static TracingLink logging(SerialLink delegate, Secrets secrets) {
        Logger log = LoggerFactory.getLogger("dev.atmodem.link.trace");
        return new TracingLink(delegate, (dir, b, off, len) -> {
            if (log.isTraceEnabled()) {
                log.trace("{} {} {}", delegate.name(), dir == Direction.TO_MODEM ? "->" : "<-",
                        secrets.redact(Printable.of(b, off, len)));
            }
        });
    }

    @Override
    public synchronized InputStream input() throws IOException {
        if (input == null) {
            input = new FilterInputStream(delegate.input()) {
                @Override
                public int read() throws IOException {
                    int v = super.read();
                    if (v >= 0) {
                        sink.bytes(Direction.FROM_MODEM, new byte[] {(byte) v}, 0, 1);
                    }
                    return v;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        sink.bytes(Direction.FROM_MODEM, b, off, n);
                    }
                    return n;
                }
            };
        }
        return input;
    }

    @Override
    public synchronized OutputStream output() throws IOException {
        if (output == null) {
            output = new FilterOutputStream(delegate.output()) {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    // Reported before the write: a fast modem's answer must never be traced before its command.
                    sink.bytes(Direction.TO_MODEM, b, off, len);
                    out.write(b, off, len);
                }
            };
        }
        return output;
    }

    @Override
    public int lineBaud() {
        return delegate.lineBaud();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
