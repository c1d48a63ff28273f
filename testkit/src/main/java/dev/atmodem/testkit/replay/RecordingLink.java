package dev.atmodem.testkit.replay;

import dev.atmodem.link.SerialLink;
import dev.atmodem.link.TracingLink;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Wraps a host-side link and reports host bytes before writing them and modem bytes after reading them. */
final class RecordingLink implements SerialLink {

    private final SerialLink delegate;
    private final TracingLink.Sink sink;
    private InputStream input;
    private OutputStream output;

    RecordingLink(SerialLink delegate, TracingLink.Sink sink) {
        this.delegate = delegate;
        this.sink = sink;
    }

    @Override
    public synchronized InputStream input() throws IOException {
        if (input == null) {
            input = new FilterInputStream(delegate.input()) {
                @Override
                public int read() throws IOException {
                    int v = in.read();
                    if (v >= 0) {
                        sink.bytes(TracingLink.Direction.FROM_MODEM, new byte[] {(byte) v}, 0, 1);
                    }
                    return v;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        sink.bytes(TracingLink.Direction.FROM_MODEM, b, off, n);
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
                    sink.bytes(TracingLink.Direction.TO_MODEM, b, off, len);
                    out.write(b, off, len);
                }
            };
        }
        return output;
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
