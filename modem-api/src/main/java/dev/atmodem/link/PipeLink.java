package dev.atmodem.link;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * An in-memory link. Links come in {@link Pair}s wired back to back: the host side for the AT engine, the modem side
 * for a simulator or a scripted test. Closing either side ends both, as unplugging a cable would.
 */
public final class PipeLink implements SerialLink {

    /** Default FIFO size per direction; small like a UART's, so back-pressure shows up in tests. */
    public static final int DEFAULT_CAPACITY = 64 * 1024;

    private final String name;
    private final BytePipe in;
    private final BytePipe out;
    private final InputStream input;
    private final OutputStream output;
    private volatile boolean open = true;
    private volatile int baud;
    private PipeLink peer;

    private PipeLink(String name, BytePipe in, BytePipe out) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.input = in.inputStream();
        this.output = out.outputStream();
    }

    /** The two ends of an in-memory link. */
    public record Pair(PipeLink host, PipeLink modem) {
    }

    public static Pair pair(String name) {
        return pair(name, DEFAULT_CAPACITY);
    }

    public static Pair pair(String name, int capacity) {
        BytePipe toModem = new BytePipe(capacity);
        BytePipe toHost = new BytePipe(capacity);
        PipeLink host = new PipeLink(name, toHost, toModem);
        PipeLink modem = new PipeLink(name + "(modem side)", toModem, toHost);
        host.peer = modem;
        modem.peer = host;
        return new Pair(host, modem);
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    /** Declares that the other end reads this pipe at {@code baud} (a paced simulator); 0 means unpaced. */
    public void declareBaud(int baud) {
        this.baud = Math.max(0, baud);
    }

    @Override
    public int lineBaud() {
        return baud;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        peer.open = false;
        in.abort();
        out.abort();
    }

    @Override
    public String toString() {
        return name;
    }
}
