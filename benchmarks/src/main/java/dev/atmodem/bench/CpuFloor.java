package dev.atmodem.bench;

import dev.atmodem.link.SerialLink;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

/**
 * The CPU floor of a serial line: the cheapest host there can be for the BG96's socket commands. One thread speaks
 * {@code AT+QISEND} and {@code AT+QIRD} straight over the simulated line - no reader thread, no event thread, no
 * parser, no socket buffers - and blocks on the line for every answer, so it wakes exactly as often as the line hands
 * over bytes and does almost nothing else. What it costs per MiB is what any host pays on this machine for this line
 * and these chunk sizes; the library's CPU row is read against it.
 *
 * <p>It moves the same pattern as {@link Transfer} through the same {@link TrafficServer}, checks every byte it
 * receives and waits for the server's acknowledgement of an upload, so the work it skips is only the library's.
 */
final class CpuFloor {

    /** BG96 chunk limits (AT-REFERENCE: QIRD reads at most 1500 bytes, QISEND takes at most 1460). */
    private static final int READ_CHUNK = 1500;
    private static final int SEND_CHUNK = 1460;
    private static final int TIMEOUT_MILLIS = 60_000;
    private static final int REFUSED_BACKOFF_MILLIS = 20;

    /** CPU time and context switches of the floor thread for one upload and one download. */
    record Cost(long cpuNanos, long switches, long payload) {
        double msPerMib() {
            return cpuNanos / 1e6 / (payload / (1024.0 * 1024.0));
        }

        double switchesPerMib() {
            return switches / (payload / (1024.0 * 1024.0));
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int end;
    /** A data-ready URC went by since the last read command. */
    private boolean dataReady;

    private CpuFloor(SerialLink link) throws IOException {
        this.in = link.input();
        this.out = link.output();
    }

    /**
     * Moves {@code warmUp} bytes each way over an unpaced line (so the figure is of compiled code, as for the library),
     * then {@code size} each way at {@code baud} (0: unpaced), on the calling thread, which measures itself.
     */
    static Cost measure(TrafficServer server, int baud, int size, int warmUp) throws IOException {
        if (warmUp > 0) {
            run(server, 0, warmUp, false);
        }
        return run(server, baud, size, true);
    }

    private static Cost run(TrafficServer server, int baud, int size, boolean measured) throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (ModemSimulator sim = ModemSimulator.builder("bg96").baud(baud).build()) {
            SerialLink link = sim.connectPipe();
            // the line's reads have no timeout: a stuck run is ended by closing the line under it
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(TIMEOUT_MILLIS);
                    link.close();
                } catch (InterruptedException | IOException e) {
                    // finished in time
                }
            }, "bench-floor-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                CpuFloor f = new CpuFloor(link);
                f.command("ATE0");
                f.command("AT+QIACT=1");
                long cpu = 0;
                long switches = 0;
                for (char mode : new char[] {'U', 'D'}) {
                    f.open(server.port());
                    ByteArrayOutputStream header = new ByteArrayOutputStream();
                    TrafficServer.header(header, mode, size);
                    f.send(header.toByteArray(), header.size());
                    long c0 = mx.getCurrentThreadCpuTime();
                    long s0 = Wakeups.ownSwitches();
                    if (mode == 'U') {
                        f.upload(size);
                    } else {
                        f.download(size);
                    }
                    cpu += mx.getCurrentThreadCpuTime() - c0;
                    switches += Wakeups.ownSwitches() - s0;
                    f.command("AT+QICLOSE=0");
                }
                return measured ? new Cost(cpu, switches, 2L * size) : null;
            } finally {
                watchdog.interrupt();
                link.close();
            }
        }
    }

    private void upload(int size) throws IOException {
        byte[] data = new byte[SEND_CHUNK];
        for (long sent = 0; sent < size; ) {
            int n = (int) Math.min(SEND_CHUNK, size - sent);
            TrafficServer.fillPattern(data, n, sent);
            send(data, n);
            sent += n;
        }
        byte[] ack = new byte[1];
        if (read(ack, 1, -1) != 1 || ack[0] != 'K') {
            throw new IOException("the server did not acknowledge the upload");
        }
    }

    private void download(int size) throws IOException {
        byte[] data = new byte[READ_CHUNK];
        for (long got = 0; got < size; ) {
            int n = read(data, (int) Math.min(READ_CHUNK, size - got), got);
            got += n;
        }
    }

    /**
     * One {@code AT+QIRD}; waits for a data-ready URC while the modem has nothing. Checks the bytes against the pattern
     * from {@code position} (-1: not pattern data).
     */
    private int read(byte[] data, int max, long position) throws IOException {
        while (true) {
            dataReady = false;
            write("AT+QIRD=0," + max + "\r");
            String head = lineStartingWith("+QIRD: ");
            int n = Integer.parseInt(head.substring(7).strip());
            if (n > max) {
                throw new IOException("QIRD returned " + n + " bytes for " + max);
            }
            readExact(data, n);
            lineStartingWith("OK");
            if (n > 0) {
                if (position >= 0) {
                    int bad = TrafficServer.mismatchPattern(data, n, position);
                    if (bad >= 0) {
                        throw new IOException("floor download corrupted at byte " + (position + bad));
                    }
                }
                return n;
            }
            while (!dataReady) {
                line(); // the URC that says more has come
            }
        }
    }

    private void open(int port) throws IOException {
        command("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + port + ",0,0");
        String result = lineStartingWith("+QIOPEN: ");
        if (!result.equals("+QIOPEN: 0,0")) {
            throw new IOException("floor: " + result);
        }
    }

    /** One {@code AT+QISEND}; a refused chunk ({@code SEND FAIL}: the modem's buffer is full) is sent again later. */
    private void send(byte[] data, int n) throws IOException {
        while (true) {
            write("AT+QISEND=0," + n + "\r");
            awaitPrompt();
            out.write(data, 0, n);
            out.flush();
            if (!lineStartingWith("SEND ").equals("SEND FAIL")) {
                return;
            }
            try {
                Thread.sleep(REFUSED_BACKOFF_MILLIS); // the library's first back-off too
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }
    }

    private void command(String text) throws IOException {
        write(text + "\r");
        lineStartingWith("OK");
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Skips lines (URCs, echo, blank lines) up to the first that starts with {@code prefix}; an error fails. */
    private String lineStartingWith(String prefix) throws IOException {
        while (true) {
            String l = line();
            if (l.startsWith(prefix)) {
                return l;
            }
            if (l.equals("ERROR") || l.startsWith("+CME ERROR")) {
                throw new IOException("floor: the modem answered " + l);
            }
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = next();
            if (b == '\n') {
                String l = sb.toString().strip();
                if (l.startsWith("+QIURC: \"recv\"")) {
                    dataReady = true;
                }
                if (!l.isEmpty()) {
                    return l;
                }
                sb.setLength(0);
            } else {
                sb.append((char) b);
            }
        }
    }

    private void awaitPrompt() throws IOException {
        int prev = '\n';
        while (true) {
            int b = next();
            if (b == ' ' && prev == '>') {
                return;
            }
            prev = b;
        }
    }

    private void readExact(byte[] data, int n) throws IOException {
        for (int off = 0; off < n; ) {
            if (pos == end) {
                fill();
            }
            int k = Math.min(n - off, end - pos);
            System.arraycopy(buf, pos, data, off, k);
            pos += k;
            off += k;
        }
    }

    private int next() throws IOException {
        if (pos == end) {
            fill();
        }
        return buf[pos++] & 0xff;
    }

    /** One blocking read: the thread sleeps until the line hands over bytes, as a serial port's reader does. */
    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("the simulated line closed");
        }
        pos = 0;
        end = n;
    }
}
