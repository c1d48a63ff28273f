package dev.atmodem.testing;

import dev.atmodem.link.PipeLink;
import dev.atmodem.link.SerialLink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately small fake modem for modem-api's own tests, speaking an invented "TEST" dialect shaped like the real
 * ones (host-chosen socket ids, connect result as a follow-up URC, {@code > } prompt with SEND OK / SEND FAIL,
 * length-framed reads reporting what is left, edge-triggered data-ready URCs). The network side is real: sockets are
 * TCP connections to 127.0.0.1. The faithful per-model simulators live in the testkit module; this one exists so the
 * engine is proven before any driver arrives.
 */
public final class TestModem implements AutoCloseable {

    public static final int MAX_SEND = 512;
    public static final int MAX_READ = 700;

    private static final Pattern OPEN = Pattern.compile("AT\\+TOPEN=(\\d+),\"([^\"]*)\",(\\d+)");
    private static final Pattern SEND = Pattern.compile("AT\\+TSEND=(\\d+),(\\d+)");
    private static final Pattern READ = Pattern.compile("AT\\+TREAD=(\\d+),(\\d+)");
    private static final Pattern CLOSE = Pattern.compile("AT\\+TCLOSE=(\\d+)");
    private static final Pattern DNS = Pattern.compile("AT\\+TDNS=\"([^\"]*)\"");

    private final PipeLink.Pair pair;
    private final InputStream in;
    private final OutputStream out;
    private final Thread thread;
    private final Map<Integer, Conn> conns = new ConcurrentHashMap<>();
    private final Map<String, Function<String, String>> script = new ConcurrentHashMap<>();

    /** Everything the modem received as command lines, in order. */
    public final List<String> commands = new CopyOnWriteArrayList<>();
    /** Sizes of the payloads the host sent with AT+TSEND. */
    public final List<Integer> sendSizes = new CopyOnWriteArrayList<>();
    public final AtomicLong bytesFromHost = new AtomicLong();
    public final AtomicInteger sendFailNext = new AtomicInteger();
    public volatile boolean sendFailAlways;
    /** Takes a send's payload and then never answers it, as a modem whose network stalls. */
    public volatile boolean withholdSendResult;
    public volatile boolean recvUrcs = true;
    public volatile boolean silent;
    /** Sends the socket's "closed" URC just before the OK of AT+TCLOSE, as a peer hanging up at that moment would. */
    public volatile boolean closedUrcBeforeCloseOk;
    /** How answers are cut into writes: whole, byte by byte, or random pieces (QUIRKS 8). */
    public volatile Feed feed = Feed.WHOLE;
    private long pieceSeed = Feed.SEED;
    private volatile boolean echo = true;
    private volatile boolean closed;

    private final class Conn {
        final int id;
        final Socket socket;
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        boolean remoteClosed;

        Conn(int id, Socket socket) {
            this.id = id;
            this.socket = socket;
        }
    }

    public TestModem() {
        this.pair = PipeLink.pair("test-modem");
        this.in = pair.modem().input();
        this.out = pair.modem().output();
        this.thread = new Thread(this::run, "test-modem");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The link the host (the AT engine) uses. */
    public SerialLink hostLink() {
        return pair.host();
    }

    /** Answers {@code command} with {@code rawAnswer} (exact bytes after the echo) instead of the dialect. */
    public void script(String command, String rawAnswer) {
        script.put(command, c -> rawAnswer);
    }

    /** The payloads received by {@link #scriptPrompt} commands. */
    public final List<byte[]> scriptedPayloads = new CopyOnWriteArrayList<>();
    /** For each {@link #scriptPrompt} command: nanoseconds from the prompt's sending to the payload's first byte. */
    public final List<Long> promptToPayloadNanos = new CopyOnWriteArrayList<>();
    /** How long a {@link #scriptPrompt} command keeps its prompt back, as a busy modem would. */
    public volatile long promptLagMillis;
    /** How long a {@link #scriptPrompt} command keeps its final answer back after the payload (a slow network send). */
    public volatile long resultLagMillis;
    private final Map<String, Object[]> promptScripts = new ConcurrentHashMap<>();

    /** Answers {@code command} with {@code prompt}, takes {@code len} payload bytes, then answers {@code after}. */
    public void scriptPrompt(String command, String prompt, int len, String after) {
        promptScripts.put(command, new Object[] {prompt, len, after});
    }

    /** Sends bytes to the host now, as an unsolicited event would. */
    public void inject(String raw) {
        send(raw);
    }

    /** Closes the remote end of socket {@code id}, as a server hanging up would. */
    public void remoteClose(int id) throws IOException {
        Conn c = conns.get(id);
        if (c != null) {
            c.socket.close();
        }
    }

    private void run() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                bytesFromHost.incrementAndGet();
                if (b == '\n') {
                    continue;
                }
                if (b != '\r') {
                    line.write(b);
                    continue;
                }
                String cmd = line.toString(StandardCharsets.ISO_8859_1);
                line.reset();
                if (cmd.isEmpty()) {
                    continue;
                }
                commands.add(cmd);
                if (silent) {
                    continue;
                }
                if (echo) {
                    send(cmd + "\r");
                }
                handle(cmd);
            }
        } catch (IOException e) {
            // the host closed the link: the fake modem simply stops
        }
    }

    private static void sleepQuietly(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(String cmd) throws IOException {
        Object[] ps = promptScripts.get(cmd);
        if (ps != null) {
            sleepQuietly(promptLagMillis);
            send((String) ps[0]);
            long promptSent = System.nanoTime(); // after the write: the gap measured is never longer than the real one
            int len = (Integer) ps[1];
            byte[] data = new byte[len];
            if (len > 0) {
                int first = in.read();
                if (first < 0) {
                    return; // the host hung up
                }
                promptToPayloadNanos.add(System.nanoTime() - promptSent);
                data[0] = (byte) first;
                System.arraycopy(in.readNBytes(len - 1), 0, data, 1, len - 1);
            }
            bytesFromHost.addAndGet(data.length);
            scriptedPayloads.add(data);
            sleepQuietly(resultLagMillis);
            send((String) ps[2]);
            return;
        }
        Function<String, String> scripted = script.get(cmd);
        if (scripted != null) {
            send(scripted.apply(cmd));
            return;
        }
        Matcher m;
        if (cmd.equals("AT") || cmd.equals("AT+CMEE=1")) {
            ok();
        } else if (cmd.equals("ATE0") || cmd.equals("ATE1")) {
            echo = cmd.equals("ATE1");
            ok();
        } else if (cmd.equals("AT+CGMI")) {
            send("\r\nAcme\r\n\r\nOK\r\n");
        } else if (cmd.equals("AT+CGMM")) {
            send("\r\nTM-1\r\n\r\nOK\r\n");
        } else if (cmd.equals("AT+CGMR")) {
            send("\r\n1.0\r\n\r\nOK\r\n");
        } else if (cmd.equals("ATI")) {
            send("\r\nAcme TM-1\r\nRevision: 1.0\r\n\r\nOK\r\n");
        } else if ((m = OPEN.matcher(cmd)).matches()) {
            open(Integer.parseInt(m.group(1)), m.group(2), Integer.parseInt(m.group(3)));
        } else if ((m = SEND.matcher(cmd)).matches()) {
            receivePayload(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } else if ((m = READ.matcher(cmd)).matches()) {
            read(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } else if ((m = CLOSE.matcher(cmd)).matches()) {
            int id = Integer.parseInt(m.group(1));
            Conn c = conns.remove(id);
            if (c != null) {
                c.socket.close();
            }
            if (closedUrcBeforeCloseOk) {
                send("\r\n+TURC: \"closed\"," + id + "\r\n");
            }
            ok();
        } else if ((m = DNS.matcher(cmd)).matches()) {
            ok();
            String host = m.group(1);
            send(host.endsWith(".test") || host.equals("localhost") ? "\r\n+TDNS: 0,\"127.0.0.1\"\r\n"
                    : "\r\n+TDNS: 7\r\n");
        } else {
            send("\r\nERROR\r\n");
        }
    }

    private void open(int id, String host, int port) {
        if (conns.containsKey(id)) {
            send("\r\n+CME ERROR: 3\r\n");
            return;
        }
        ok();
        Thread t = new Thread(() -> {
            try {
                String target = host.endsWith(".test") ? "127.0.0.1" : host;
                InetAddress addr = InetAddress.getByName(target);
                if (!addr.isLoopbackAddress()) {
                    throw new IOException("the test modem only reaches loopback");
                }
                Socket s = new Socket();
                s.connect(new InetSocketAddress(addr, port), 5000);
                Conn c = new Conn(id, s);
                conns.put(id, c);
                send("\r\n+TOPEN: " + id + ",0\r\n");
                pumpFromNetwork(c);
            } catch (IOException e) {
                send("\r\n+TOPEN: " + id + ",1\r\n");
            }
        }, "test-modem-conn-" + id);
        t.setDaemon(true);
        t.start();
    }

    private void pumpFromNetwork(Conn c) {
        byte[] buf = new byte[2048];
        try {
            InputStream net = c.socket.getInputStream();
            int n;
            while ((n = net.read(buf)) > 0) {
                boolean wasEmpty;
                synchronized (c) {
                    wasEmpty = c.pending.size() == 0;
                    c.pending.write(buf, 0, n);
                }
                if (wasEmpty && recvUrcs) {
                    send("\r\n+TURC: \"recv\"," + c.id + "\r\n");
                }
            }
        } catch (IOException e) {
            // the connection ended: report it as a remote close below
        }
        synchronized (c) {
            c.remoteClosed = true;
        }
        if (!closed && conns.get(c.id) == c) {
            send("\r\n+TURC: \"closed\"," + c.id + "\r\n");
        }
    }

    private void receivePayload(int id, int len) throws IOException {
        Conn c = conns.get(id);
        if (c == null || len > MAX_SEND) {
            send("\r\nERROR\r\n");
            return;
        }
        send("\r\n> ");
        byte[] data = in.readNBytes(len);
        bytesFromHost.addAndGet(len);
        if (sendFailAlways || sendFailNext.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
            send("\r\nSEND FAIL\r\n");
            return;
        }
        if (withholdSendResult) {
            return;
        }
        sendSizes.add(len);
        c.socket.getOutputStream().write(data);
        send("\r\nSEND OK\r\n");
    }

    private void read(int id, int max) {
        Conn c = conns.get(id);
        if (c == null) {
            send("\r\nERROR\r\n");
            return;
        }
        byte[] chunk;
        int left;
        synchronized (c) {
            byte[] all = c.pending.toByteArray();
            int n = Math.min(Math.min(max, MAX_READ), all.length);
            chunk = java.util.Arrays.copyOf(all, n);
            c.pending.reset();
            c.pending.write(all, n, all.length - n);
            left = all.length - n;
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("\r\n+TREAD: " + chunk.length + "," + left + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        o.writeBytes(chunk);
        o.writeBytes("\r\n\r\nOK\r\n".getBytes(StandardCharsets.ISO_8859_1));
        sendBytes(o.toByteArray());
    }

    private void ok() {
        send("\r\nOK\r\n");
    }

    private void send(String s) {
        sendBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private synchronized void sendBytes(byte[] b) {
        try {
            if (feed == Feed.WHOLE) {
                out.write(b);
                return;
            }
            IOException[] failed = new IOException[1];
            feed.split(b, pieceSeed++, (off, len) -> {
                try {
                    if (failed[0] == null) {
                        out.write(b, off, len);
                        Thread.yield();
                    }
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
        } catch (IOException e) {
            closed = true;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        pair.modem().close();
        for (Conn c : conns.values()) {
            c.socket.close();
        }
    }
}
