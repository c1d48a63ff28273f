package dev.atmodem.link;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A link whose AT text may be carried inside frames: every {@link dev.atmodem.Modem} talks through one, with
 * {@link Framing#PLAIN} until a driver installs another framing (u-blox NINA-W switches to Extended Data Mode). Besides
 * the text streams the AT engine uses, it lets the framing's owner write its own frames ({@link #writeRaw}) under the
 * same output lock as the engine's commands, so a data frame never lands inside a command frame. On a line of known
 * baud those frames also go through a {@link SendWindow}: writers take turns and stay at most about 2 KiB ahead of the
 * line, so no socket's data (nor a command) waits behind another socket's queued kilobytes.
 */
public final class FramedLink implements SerialLink {

    private final SerialLink delegate;
    private final Object outputLock = new Object();
    private volatile Framing framing = Framing.PLAIN;
    private InputStream input;
    private OutputStream output;
    private OutputStream raw;
    /** Null until the first raw write, or on a link whose rate is unknown (nothing to estimate the backlog from). */
    private volatile SendWindow window;
    private volatile boolean windowChecked;

    public FramedLink(SerialLink delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Switches the framing; both directions use it from the next byte on. */
    public void install(Framing f) {
        this.framing = Objects.requireNonNull(f, "framing");
    }

    public Framing framing() {
        return framing;
    }

    /**
     * Writes bytes to the modem as they are (an already framed data frame), under the output lock. Where the line's
     * baud is known, the writer first waits for its turn and for room in the send window.
     */
    public void writeRaw(byte[] b, int off, int len) throws IOException {
        SendWindow w = window();
        if (w == null) {
            writeNow(b, off, len);
        } else {
            w.write(len, () -> writeNow(b, off, len));
        }
    }

    private void writeNow(byte[] b, int off, int len) throws IOException {
        synchronized (outputLock) {
            OutputStream o = rawOutput();
            o.write(b, off, len);
            o.flush();
        }
    }

    private SendWindow window() {
        if (!windowChecked) {
            synchronized (outputLock) {
                if (!windowChecked) {
                    int baud = delegate.lineBaud();
                    window = baud > 0 ? new SendWindow(baud) : null;
                    windowChecked = true;
                }
            }
        }
        return window;
    }

    private OutputStream rawOutput() throws IOException {
        synchronized (outputLock) {
            if (raw == null) {
                raw = delegate.output();
            }
            return raw;
        }
    }

    @Override
    public synchronized InputStream input() throws IOException {
        if (input == null) {
            input = new TextInput(delegate.input());
        }
        return input;
    }

    @Override
    public synchronized OutputStream output() throws IOException {
        if (output == null) {
            OutputStream o = rawOutput();
            output = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    synchronized (outputLock) {
                        framing.encode(b, off, len, o);
                    }
                    SendWindow w = window;
                    if (w != null) {
                        w.count(len);   // commands do not wait for the window, but they occupy the line too
                    }
                }

                @Override
                public void flush() throws IOException {
                    synchronized (outputLock) {
                        o.flush();
                    }
                }
            };
        }
        return output;
    }

    /** The text side of the input: raw bytes go through the framing; what it returns as text is read here. */
    private final class TextInput extends InputStream {
        private final InputStream in;
        private final byte[] rawBuf = new byte[4096];
        private int rawPos;
        private int rawEnd;
        /** Reused for every chunk: copying it out would allocate as much as the modem sends (a flood, 1 MiB). */
        private final TextBuffer text = new TextBuffer();
        private int textPos;

        TextInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (textPos < text.size()) {
                    int n = Math.min(len, text.size() - textPos);
                    System.arraycopy(text.bytes(), textPos, b, off, n);
                    textPos += n;
                    return n;
                }
                if (rawPos == rawEnd) {
                    int n = in.read(rawBuf, 0, rawBuf.length);
                    if (n < 0) {
                        return -1;
                    }
                    rawPos = 0;
                    rawEnd = n;
                }
                // Read after the bytes arrived: a framing installed while this thread waited applies to them.
                Framing f = framing;
                text.reset();
                int used = f.decode(rawBuf, rawPos, rawEnd - rawPos, text);
                if (used <= 0 && text.size() == 0) {
                    throw new IOException("the " + f + " framing consumed nothing from " + (rawEnd - rawPos)
                            + " bytes");
                }
                rawPos += Math.max(used, 0);
                textPos = 0;
            }
        }

        @Override
        public int available() throws IOException {
            return text.size() - textPos;
        }
    }

    /** A ByteArrayOutputStream whose bytes are read in place. */
    private static final class TextBuffer extends ByteArrayOutputStream {
        byte[] bytes() {
            return buf;
        }
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
