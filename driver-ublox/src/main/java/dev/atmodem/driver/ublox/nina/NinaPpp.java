package dev.atmodem.driver.ublox.nina;

import dev.atmodem.ModemException;
import dev.atmodem.at.AtCommand;
import dev.atmodem.at.AtEngine;
import dev.atmodem.link.FramedLink;
import dev.atmodem.link.Framing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/** {@link NinaOperations}: {@code AT+UPPPC} and the {@code ATO3} hand-over of the line to PPP. */
final class NinaPpp implements NinaOperations {

    private static final Pattern VALUE = Pattern.compile("[0-9A-Za-z.:]{1,64}");

    private final AtEngine at;
    private final FramedLink link;
    private final BooleanSupplier inEdm;
    private final Duration timeout;

    NinaPpp(AtEngine at, FramedLink link, BooleanSupplier inEdm, Duration timeout) {
        this.at = at;
        this.link = link;
        this.inEdm = inEdm;
        this.timeout = timeout;
    }

    @Override
    public void configurePpp(int tag, String value) throws IOException {
        if (tag < 0 || tag > 999) {
            throw new IllegalArgumentException("a PPP parameter tag is a number from 0 to 999, not " + tag);
        }
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("a PPP parameter value may hold only letters, digits, '.' and ':'"
                    + " (1 to 64 of them), which '" + dev.atmodem.link.Printable.of(String.valueOf(value))
                    + "' does not");
        }
        at.execute(AtCommand.of("AT+UPPPC=" + tag + "," + value).timeout(timeout).build());
    }

    @Override
    public PppLine enterPpp() throws IOException {
        if (link == null) {
            throw new ModemException("PPP needs the modem's FramedLink: open the modem with Modem.open");
        }
        if (inEdm.getAsBoolean()) {
            throw new ModemException("the module is in Extended Data Mode; for PPP open the modem with the driver"
                    + " option nina.dataMode=command");
        }
        Framing before = link.framing();
        PppFraming ppp = new PppFraming();
        // Installed before ATO3: the first PPP bytes may follow the OK in the same read.
        link.install(ppp);
        at.onLinkLost(e -> ppp.input.end());
        try {
            at.execute(AtCommand.of("ATO3").timeout(timeout).build());
        } catch (IOException | RuntimeException e) {
            link.install(before);
            throw e;
        }
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                link.writeRaw(b, off, len);
            }
        };
        return new PppLine() {
            @Override
            public InputStream input() {
                return ppp.input;
            }

            @Override
            public OutputStream output() {
                return out;
            }
        };
    }

    /** Text until the {@code OK} of ATO3, then every byte to the PPP input; commands are refused from then on. */
    private static final class PppFraming implements Framing {
        private final StringBuilder line = new StringBuilder();
        private volatile boolean raw;
        final QueueInput input = new QueueInput();

        @Override
        public int decode(byte[] b, int off, int len, ByteArrayOutputStream text) {
            if (raw) {
                byte[] copy = new byte[len];
                System.arraycopy(b, off, copy, 0, len);
                input.offer(copy);
                return len;
            }
            for (int i = off; i < off + len; i++) {
                text.write(b[i]);
                char c = (char) (b[i] & 0xff);
                if (c == '\n') {
                    boolean ok = line.toString().trim().equals("OK");
                    line.setLength(0);
                    if (ok) {
                        raw = true;
                        return i - off + 1;
                    }
                } else if (c != '\r') {
                    line.append(c);
                }
            }
            return len;
        }

        @Override
        public void encode(byte[] b, int off, int len, OutputStream modem) throws IOException {
            if (raw) {
                throw new IOException("the line carries PPP now: AT commands cannot be sent");
            }
            modem.write(b, off, len);
        }

        @Override
        public String toString() {
            return "PPP";
        }
    }

    /** A blocking stream of the byte blocks the reader thread hands over. */
    private static final class QueueInput extends InputStream {
        private static final byte[] END = new byte[0];
        private final LinkedBlockingQueue<byte[]> blocks = new LinkedBlockingQueue<>();
        private volatile boolean ended;
        private byte[] current = new byte[0];
        private int pos;

        void offer(byte[] block) {
            blocks.add(block);
        }

        /** The link is gone: readers see the end of the stream once the bytes before it are read. */
        void end() {
            blocks.add(END);
        }

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
            while (pos == current.length) {
                if (ended) {
                    return -1;
                }
                try {
                    current = blocks.take();
                    if (current == END) {
                        ended = true;
                        return -1;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading PPP bytes");
                }
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return current.length - pos;
        }
    }
}
