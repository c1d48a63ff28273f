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
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The CPU floor of a serial line: the cheapest host there can be for a modem's socket commands. One thread speaks
 * them ({@code AT+QISEND} and {@code AT+QIRD} for the BG96, {@code AT+USOWR} and {@code AT+USORD} for the SARA, in
 * binary or in HEX mode) straight over the simulated line - no reader thread, no event thread, no
 * parser, no socket buffers - and blocks on the line for every answer, so it wakes exactly as often as the line hands
 * over bytes and does almost nothing else. What it costs per MiB is what any host pays on this machine for this line
 * and these chunk sizes; the library's CPU row is read against it.
 *
 * <p>The same floor also runs {@linkplain Mode#READER_THREAD with a reader thread}: the cheapest host that keeps the
 * threads a socket library needs (DESIGN.md "Threads": the line is read all the time, URCs included, by a thread of its
 * own, and the application thread blocks until its answer is complete). The reader splits lines and payloads and
 * wakes the application thread once per complete answer (a prompt, a final result, a URC), as the library's reader
 * does, and does nothing else. The difference between the two floors is what that structure costs on this machine,
 * before any code of the library runs.
 *
 * <p>It moves the same pattern as {@link Transfer} through the same {@link TrafficServer}, checks every byte it
 * receives and waits for the server's acknowledgement of an upload, so the work it skips is only the library's.
 */
final class CpuFloor {

    private static final int TIMEOUT_MILLIS = 60_000;
    /** The SARA's pause between the {@code @} prompt and the data (AT-REFERENCE §3B), as the driver keeps it. */
    private static final long SARA_PAUSE_NANOS = 50_000_000L;
    /** A SARA read answer, {@code +USORD: <s>,<len>,"} and then the data inline (§3B). */
    private static final java.util.regex.Pattern USORD_DATA = java.util.regex.Pattern.compile("\\+USORD: \\d+,(\\d+),\"");
    /** A SARA read answer in HEX mode, one line: {@code +USORD: <s>,<len>,"<2*len hex digits>"} (§3B). */
    private static final java.util.regex.Pattern USORD_HEX =
            java.util.regex.Pattern.compile("\\+USORD: \\d+,(\\d+),\"([0-9A-Fa-f]*)\"");
    private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** Whose raw socket commands a floor speaks. */
    enum Dialect {
        /** {@code AT+QISEND} after its {@code > } prompt, {@code AT+QIRD}: 1460 bytes per send, 1500 per read. */
        BG96("bg96", 1500, 1460, false),
        /**
         * SARA-R4 binary writes: {@code AT+USOWR}, its {@code @} prompt and the 50 ms pause after it, {@code AT+USORD}:
         * 1024 bytes each way (§3B). The R4 brings its data context up by itself (§3A).
         */
        SARA("sara-r4", 1024, 1024, false),
        /**
         * SARA-R4 in HEX mode ({@code AT+UDCONF=1,1}): {@code AT+USOWR=<s>,<n>,"<hex>"} with no prompt and no pause,
         * {@code AT+USORD} answered on one line of hex digits; 512 bytes each way, two line characters per byte (§3B).
         */
        SARA_HEX("sara-r4", 512, 512, true);

        final String simulator;
        final int readChunk;
        final int sendChunk;
        /** Data goes both ways as hex digits inside the command and answer lines. */
        final boolean hex;

        Dialect(String simulator, int readChunk, int sendChunk, boolean hex) {
            this.simulator = simulator;
            this.readChunk = readChunk;
            this.sendChunk = sendChunk;
            this.hex = hex;
        }

        /** How a row names the commands its floor speaks. */
        String label() {
            return switch (this) {
                case BG96 -> "BG96 commands";
                case SARA -> "SARA binary commands";
                case SARA_HEX -> "SARA hex commands";
            };
        }
    }
    private static final int REFUSED_BACKOFF_MILLIS = 20;

    /** One thread on the line, or a reader thread that hands each complete answer to the thread that asked. */
    enum Mode { ONE_THREAD, READER_THREAD }

    /** Name of the floor's reader thread (Linux keeps 15 characters), by which its context switches are counted. */
    private static final String READER_NAME = "floor-reader";

    /** CPU time and context switches of the floor's threads for one upload and one download. */
    record Cost(long cpuNanos, long switches, long payload) {
        double msPerMib() {
            return cpuNanos / 1e6 / (payload / (1024.0 * 1024.0));
        }

        double switchesPerMib() {
            return switches / (payload / (1024.0 * 1024.0));
        }
    }

    private final OutputStream out;
    private final Dialect dialect;
    private final LineSource source;
    private final Answers answers;
    /** How long the last prompt took to come (SARA with a reader thread: the sender sleeps through it). */
    private long promptLatency;
    /** A data-ready URC went by since the last read command. */
    private boolean dataReady;

    private CpuFloor(SerialLink link, Dialect dialect, LineSource source, Answers answers) throws IOException {
        this.out = link.output();
        this.dialect = dialect;
        this.source = source;
        this.answers = answers;
    }

    /**
     * Moves {@code warmUp} bytes each way over an unpaced line (so the figure is of compiled code, as for the library),
     * then {@code size} each way at {@code baud} (0: unpaced), on the calling thread, which measures itself and, in
     * {@link Mode#READER_THREAD}, its reader thread.
     */
    static Cost measure(TrafficServer server, int baud, int size, int warmUp, Mode mode, Dialect dialect)
            throws IOException {
        if (warmUp > 0) {
            run(server, 0, warmUp, false, mode, dialect);
        }
        return run(server, baud, size, true, mode, dialect);
    }

    private static Cost run(TrafficServer server, int baud, int size, boolean measured, Mode mode, Dialect dialect)
            throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (ModemSimulator sim = ModemSimulator.builder(dialect.simulator).baud(baud).build()) {
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
            HandOff handOff = null;
            try {
                LineSource source = new LineSource(link.input(), dialect.hex);
                Answers answers = source;
                if (mode == Mode.READER_THREAD) {
                    handOff = new HandOff(source, link.output());
                    answers = handOff;
                }
                CpuFloor f = new CpuFloor(link, dialect, source, answers);
                f.command("ATE0");
                if (dialect == Dialect.BG96) {
                    f.command("AT+QIACT=1");
                }
                if (dialect.hex) {
                    f.command("AT+UDCONF=1,1");
                }
                long cpu = 0;
                long switches = 0;
                for (char direction : new char[] {'U', 'D'}) {
                    f.open(server.port());
                    ByteArrayOutputStream header = new ByteArrayOutputStream();
                    TrafficServer.header(header, direction, size);
                    f.send(header.toByteArray(), header.size());
                    long c0 = mx.getCurrentThreadCpuTime() + (handOff == null ? 0 : handOff.cpuNanos(mx));
                    long s0 = Wakeups.ownSwitches() + (handOff == null ? 0 : HandOff.switches());
                    if (direction == 'U') {
                        f.upload(size);
                    } else {
                        f.download(size);
                    }
                    cpu += mx.getCurrentThreadCpuTime() + (handOff == null ? 0 : handOff.cpuNanos(mx)) - c0;
                    switches += Wakeups.ownSwitches() + (handOff == null ? 0 : HandOff.switches()) - s0;
                    f.command(dialect == Dialect.BG96 ? "AT+QICLOSE=0" : "AT+USOCL=0");
                }
                return measured ? new Cost(cpu, switches, 2L * size) : null;
            } finally {
                watchdog.interrupt();
                link.close();
                if (handOff != null) {
                    handOff.join();
                }
            }
        }
    }

    private void upload(int size) throws IOException {
        byte[] data = new byte[dialect.sendChunk];
        for (long sent = 0; sent < size; ) {
            int n = (int) Math.min(dialect.sendChunk, size - sent);
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
        byte[] data = new byte[dialect.readChunk];
        for (long got = 0; got < size; ) {
            int n = read(data, (int) Math.min(dialect.readChunk, size - got), got);
            got += n;
        }
    }

    /**
     * One {@code AT+QIRD} or {@code AT+USORD}; waits for a data-ready URC while the modem has nothing. Checks the bytes
     * against the pattern from {@code position} (-1: not pattern data).
     */
    private int read(byte[] data, int max, long position) throws IOException {
        while (true) {
            dataReady = false;
            int n;
            if (dialect == Dialect.BG96) {
                write("AT+QIRD=0," + max + "\r");
                n = Integer.parseInt(lineStartingWith("+QIRD: ").substring(7).strip());
            } else if (dialect.hex) {
                write("AT+USORD=0," + max + "\r");
                n = hexRead(lineStartingWith("+USORD: "), data, max);
            } else {
                write("AT+USORD=0," + max + "\r");
                java.util.regex.Matcher m = USORD_DATA.matcher(lineStartingWith("+USORD: "));
                n = m.matches() ? Integer.parseInt(m.group(1)) : 0; // +USORD: 0,"" when there is nothing
            }
            if (n > max) {
                throw new IOException("the modem returned " + n + " bytes for " + max);
            }
            if (!dialect.hex) {
                answers.payload(data, n);
            }
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

    /**
     * Decodes a HEX-mode read answer into {@code data}; {@code +USORD: 0,""} (nothing to read) is 0. A digit count
     * other than twice the length fails: the floor checks what it is given as the driver does.
     */
    private static int hexRead(String answer, byte[] data, int max) throws IOException {
        if (answer.endsWith(",\"\"") && answer.indexOf(',') == answer.lastIndexOf(',')) {
            return 0;
        }
        java.util.regex.Matcher m = USORD_HEX.matcher(answer);
        if (!m.matches()) {
            throw new IOException("floor: unexpected HEX-mode read answer " + answer);
        }
        int n = Integer.parseInt(m.group(1));
        int digits = m.end(2) - m.start(2);
        if (n > max || digits != 2 * n) {
            throw new IOException("floor: " + n + " bytes in " + digits + " hex digits for " + max);
        }
        for (int i = 0, d = m.start(2); i < n; i++, d += 2) {
            data[i] = (byte) (Character.digit(answer.charAt(d), 16) << 4 | Character.digit(answer.charAt(d + 1), 16));
        }
        return n;
    }

    private void open(int port) throws IOException {
        if (dialect != Dialect.BG96) {
            write("AT+USOCR=6\r");
            lineStartingWith("+USOCR: 0");
            lineStartingWith("OK");
            command("AT+USOCO=0,\"127.0.0.1\"," + port); // OK once connected
            return;
        }
        command("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + port + ",0,0");
        String result = lineStartingWith("+QIOPEN: ");
        if (!result.equals("+QIOPEN: 0,0")) {
            throw new IOException("floor: " + result);
        }
    }

    /** One {@code AT+QISEND}; a refused chunk ({@code SEND FAIL}: the modem's buffer is full) is sent again later. */
    private void send(byte[] data, int n) throws IOException {
        if (dialect == Dialect.SARA) {
            sendSara(data, n);
            return;
        }
        if (dialect.hex) {
            sendHex(data, n);
            return;
        }
        while (true) {
            if (answers instanceof HandOff h) {
                h.payloadAfterPrompt(data, n); // the reader writes it when the prompt comes, as the library's does
                write("AT+QISEND=0," + n + "\r");
            } else {
                write("AT+QISEND=0," + n + "\r");
                lineStartingWith(">");
                synchronized (out) {
                    out.write(data, 0, n);
                    out.flush();
                }
            }
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

    /**
     * One binary {@code AT+USOWR}: the data goes 50 ms after the prompt came. With a reader thread the sender sleeps
     * from its command to where prompt and pause should both be over, as the library does, so the prompt wakes nobody.
     */
    private void sendSara(byte[] data, int n) throws IOException {
        write("AT+USOWR=0," + n + "\r");
        long sent = System.nanoTime();
        if (answers instanceof HandOff) {
            sleepNanos(promptLatency + promptLatency / 4 + SARA_PAUSE_NANOS);
        }
        lineStartingWith("@");
        promptLatency = Math.max(0, source.promptAt - sent);
        sleepNanos(source.promptAt + SARA_PAUSE_NANOS - System.nanoTime()); // what is left of the pause
        synchronized (out) {
            out.write(data, 0, n);
            out.flush();
        }
        String result = lineStartingWith("+USOWR: ");
        lineStartingWith("OK");
        if (!result.equals("+USOWR: 0," + n)) {
            throw new IOException("floor: the modem took part of a chunk: " + result);
        }
    }

    /**
     * One HEX-mode {@code AT+USOWR=0,<n>,"<hex>"}: no prompt, no pause, the command and its data in one write. A
     * refusal whose socket error ({@code AT+USOER}) is 11, the modem's send queue full, is sent again after the
     * library's first back-off, as the driver does; without the pause an unpaced upload fills that queue.
     */
    private void sendHex(byte[] data, int n) throws IOException {
        byte[] head = ("AT+USOWR=0," + n + ",\"").getBytes(StandardCharsets.US_ASCII);
        byte[] cmd = new byte[head.length + 2 * n + 2];
        System.arraycopy(head, 0, cmd, 0, head.length);
        for (int i = 0, d = head.length; i < n; i++, d += 2) {
            cmd[d] = HEX_DIGITS[(data[i] >> 4) & 0xf];
            cmd[d + 1] = HEX_DIGITS[data[i] & 0xf];
        }
        cmd[cmd.length - 2] = '"';
        cmd[cmd.length - 1] = '\r';
        String result;
        while (true) {
            synchronized (out) {
                out.write(cmd);
                out.flush();
            }
            result = lineOrRefusal("+USOWR: ");
            if (result != null) {
                break;
            }
            write("AT+USOER\r");
            String error = lineStartingWith("+USOER: ");
            lineStartingWith("OK");
            if (!error.equals("+USOER: 11")) {
                throw new IOException("floor: AT+USOWR refused, " + error);
            }
            sleepNanos(REFUSED_BACKOFF_MILLIS * 1_000_000L);
        }
        lineStartingWith("OK");
        if (!result.equals("+USOWR: 0," + n)) {
            throw new IOException("floor: the modem took part of a chunk: " + result);
        }
    }

    private static void sleepNanos(long nanos) throws IOException {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private void command(String text) throws IOException {
        write(text + "\r");
        lineStartingWith("OK");
    }

    /** Writes whole: with a reader thread, the reader writes a payload after its prompt too. */
    private void write(String text) throws IOException {
        synchronized (out) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    /** Skips lines (URCs, echo, blank lines) up to the first that starts with {@code prefix}; an error fails. */
    private String lineStartingWith(String prefix) throws IOException {
        String l = lineOrRefusal(prefix);
        if (l == null) {
            throw new IOException("floor: the modem answered an error where " + prefix + " was expected");
        }
        return l;
    }

    /** As {@link #lineStartingWith}, but an error answer is null. */
    private String lineOrRefusal(String prefix) throws IOException {
        while (true) {
            String l = line();
            if (l.startsWith(prefix)) {
                return l;
            }
            if (l.equals("ERROR") || l.startsWith("+CME ERROR")) {
                return null;
            }
        }
    }

    /** The next line or prompt; notes a data-ready URC. */
    private String line() throws IOException {
        String l = answers.line();
        if (l.startsWith("+QIURC: \"recv\"") || l.startsWith("+UUSORD: ")) {
            dataReady = true;
        }
        return l;
    }

    /** Where the floor's answers come from: straight from the line, or handed over by a reader thread. */
    private interface Answers {
        /**
         * The next non-empty line. A prompt at the start of a line is the line {@code ">"} ({@code "> "}) or {@code "@"};
         * a SARA read answer's header ends at the quote its data follows (in binary mode; a HEX-mode answer is one line).
         */
        String line() throws IOException;

        /** The {@code n} payload bytes that follow the line just returned (a read answer's). */
        void payload(byte[] data, int n) throws IOException;
    }

    /** Lines, prompts and payloads straight from the line, on whichever thread calls. */
    private static final class LineSource implements Answers {
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int end;
        /** HEX mode: quotes are part of a line, no raw data follows a read answer's header. */
        private final boolean hex;
        /** When the last {@code @} prompt was read off the line (System.nanoTime). */
        volatile long promptAt;

        LineSource(InputStream in, boolean hex) {
            this.in = in;
            this.hex = hex;
        }

        @Override
        public String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int b = next();
                if (b == '>' && sb.length() == 0) {
                    next(); // the prompt's space
                    return ">";
                }
                if (b == '@' && sb.length() == 0) {
                    promptAt = System.nanoTime();
                    return "@";
                }
                if (b == '"' && !hex) {
                    if (sb.length() == 0) {
                        continue; // the quote that closes a SARA read answer's data
                    }
                    sb.append('"');
                    if (sb.charAt(0) == '+' && USORD_DATA.matcher(sb).matches()) {
                        return sb.toString();
                    }
                    continue;
                }
                if (b == '\n') {
                    String l = sb.toString().strip();
                    if (!l.isEmpty()) {
                        return l;
                    }
                    sb.setLength(0);
                } else {
                    sb.append((char) b);
                }
            }
        }

        @Override
        public void payload(byte[] data, int n) throws IOException {
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

    /**
     * A reader thread reads the line all the time and queues what it reads; it wakes the thread that waits only when an
     * answer is complete (a final result, a URC, a prompt nobody gave a payload for), once per answer as the library's
     * reader does. Lines and payloads within an answer are queued without a wake-up. A payload due at once after its
     * {@code >} prompt is written by the reader itself, as the library's reader does, so the prompt wakes nobody.
     */
    private static final class HandOff implements Answers {
        private final LineSource source;
        private final OutputStream out;
        /** The payload to write when the next {@code >} prompt comes, set by the sender before its command. */
        private volatile byte[] payload;
        private volatile int payloadLength;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition complete = lock.newCondition();
        private final ArrayDeque<Object> queue = new ArrayDeque<>();
        private final Thread reader;
        private IOException end;

        HandOff(LineSource source, OutputStream out) {
            this.source = source;
            this.out = out;
            this.reader = new Thread(this::readLoop, READER_NAME);
            reader.setDaemon(true);
            reader.start();
        }

        private void readLoop() {
            try {
                while (true) {
                    String l = source.line();
                    java.util.regex.Matcher sara = USORD_DATA.matcher(l);
                    if (l.startsWith("+QIRD: ") || sara.matches()) {
                        int n = Integer.parseInt(sara.matches() ? sara.group(1) : l.substring(7).strip());
                        put(l, false);
                        if (n > 0) {
                            byte[] data = new byte[n];
                            source.payload(data, n);
                            put(data, false);
                        }
                        continue;
                    }
                    byte[] due = payload;
                    if (l.equals(">") && due != null) {
                        payload = null;
                        synchronized (out) {
                            out.write(due, 0, payloadLength);
                            out.flush();
                        }
                        continue;
                    }
                    // A prompt wakes a sender only if it already waits for it: a SARA sender sleeps through it.
                    put(l, l.equals(">") || l.equals("@") || l.equals("OK") || l.equals("ERROR")
                            || l.startsWith("+CME ERROR") || l.startsWith("SEND ") || l.startsWith("+QIOPEN: ")
                            || l.startsWith("+QIURC: ") || l.startsWith("+UUSORD: "));
                }
            } catch (IOException | RuntimeException e) {
                lock.lock();
                try {
                    end = e instanceof IOException io ? io : new IOException(e);
                    complete.signal();
                } finally {
                    lock.unlock();
                }
            }
        }

        /** The reader writes these bytes when the next {@code >} prompt comes, instead of waking the sender. */
        void payloadAfterPrompt(byte[] data, int n) {
            payloadLength = n;
            payload = data;
        }

        private void put(Object item, boolean answerComplete) {
            lock.lock();
            try {
                queue.addLast(item);
                if (answerComplete) {
                    complete.signal();
                }
            } finally {
                lock.unlock();
            }
        }

        private Object take() throws IOException {
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    if (end != null) {
                        throw new IOException("floor: the line ended: " + end.getMessage(), end);
                    }
                    complete.awaitUninterruptibly();
                }
                return queue.pollFirst();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String line() throws IOException {
            Object o = take();
            if (!(o instanceof String s)) {
                throw new IOException("floor: payload where a line was expected");
            }
            return s;
        }

        @Override
        public void payload(byte[] data, int n) throws IOException {
            if (n == 0) {
                return;
            }
            Object o = take();
            if (!(o instanceof byte[] p) || p.length != n) {
                throw new IOException("floor: expected a payload of " + n + " bytes");
            }
            System.arraycopy(p, 0, data, 0, n);
        }

        long cpuNanos(ThreadMXBean mx) {
            return mx.getThreadCpuTime(reader.getId());
        }

        static long switches() {
            return Wakeups.switches(READER_NAME::equals);
        }

        void join() {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
