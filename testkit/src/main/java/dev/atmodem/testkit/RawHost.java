package dev.atmodem.testkit;

import dev.atmodem.link.Printable;
import dev.atmodem.link.SerialLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host end of a link as raw bytes, for tests that check a modem (or simulator) byte for byte: write
 * {@code AT+CSQ\r}, then expect exactly {@code AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n}. A daemon thread collects what the
 * modem sends; every expectation has a deadline, and a mismatch shows both sides with control bytes visible.
 */
public final class RawHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RawHost.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final SerialLink link;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Thread reader;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int consumed;
    private boolean ended;
    private IOException failure;

    public RawHost(SerialLink link) {
        this.link = link;
        this.reader = new Thread(this::readLoop, "rawhost-" + link.name());
        reader.setDaemon(true);
        reader.start();
    }

    public RawHost timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    public SerialLink link() {
        return link;
    }

    private void readLoop() {
        byte[] buf = new byte[4096];
        try {
            InputStream in = link.input();
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (this) {
                    received.write(buf, 0, n);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                failure = e;
            }
        }
        synchronized (this) {
            ended = true;
            notifyAll();
        }
    }

    /** Writes ISO-8859-1 text as is (add the {@code \r} yourself). */
    public RawHost send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHost send(byte[] bytes) throws IOException {
        link.output().write(bytes);
        link.output().flush();
        return this;
    }

    /** Reads exactly {@code n} bytes (waiting up to the timeout). */
    public synchronized byte[] read(int n) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() - consumed < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || ended) {
                throw new AssertionError("expected " + n + " bytes within " + timeout.toMillis() + " ms but got "
                        + (received.size() - consumed) + ": " + pendingText() + (failure != null ? " (link: "
                        + failure + ")" : ""));
            }
            waitNanos(left);
        }
        byte[] all = received.toByteArray();
        byte[] out = Arrays.copyOfRange(all, consumed, consumed + n);
        consumed += n;
        return out;
    }

    /** Reads exactly as many bytes as {@code expected} has and fails unless they are equal. */
    public RawHost expect(String expected) throws IOException {
        return expect(expected.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHost expect(byte[] expected) throws IOException {
        byte[] got = read(expected.length);
        if (!Arrays.equals(got, expected)) {
            throw new AssertionError("modem sent\n  " + Printable.of(got, 0, got.length) + "\nexpected\n  "
                    + Printable.of(expected, 0, expected.length));
        }
        return this;
    }

    /** Sends a command and expects exactly {@code answer} back (echo included if echo is on). */
    public RawHost command(String line, String answer) throws IOException {
        return send(line).expect(answer);
    }

    /** Reads up to and including the first occurrence of {@code marker}; returns everything read. */
    public synchronized String readThrough(String marker) throws IOException {
        byte[] m = marker.getBytes(StandardCharsets.ISO_8859_1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] all = received.toByteArray();
            int at = indexOf(all, m, consumed);
            if (at >= 0) {
                String s = new String(all, consumed, at + m.length - consumed, StandardCharsets.ISO_8859_1);
                consumed = at + m.length;
                return s;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || ended) {
                throw new AssertionError("no '" + Printable.of(marker) + "' within " + timeout.toMillis()
                        + " ms; got: " + pendingText());
            }
            waitNanos(left);
        }
    }

    /** Bytes received and not consumed yet, without waiting. */
    public synchronized byte[] pending() {
        byte[] all = received.toByteArray();
        return Arrays.copyOfRange(all, consumed, all.length);
    }

    private String pendingText() {
        byte[] all = received.toByteArray();
        return Printable.of(all, consumed, all.length - consumed);
    }

    private void waitNanos(long nanos) throws IOException {
        try {
            long ms = Math.max(1, nanos / 1_000_000);
            wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            link.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", link.name(), e.toString());
        }
    }
}
