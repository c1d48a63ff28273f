package dev.atmodem.testkit.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated modem socket backed by a real TCP connection on loopback, for any dialect. It adds the network's
 * one-way delay to data both ways, models the modem's send buffer (a send is refused when it is full, which dialects
 * turn into {@code SEND FAIL}), and applies flow control on receive: it stops reading the peer while the modem holds
 * {@code receiveWindow} unread bytes, so a host that does not read makes the peer's TCP stall, as on a real modem.
 *
 * <p>Callbacks run under the simulator lock, in arrival order.
 */
public final class SimConnection {

    private static final Logger log = LoggerFactory.getLogger(SimConnection.class);
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    /** Receives the peer's data and the end of the connection, under the simulator lock. */
    public interface Listener {
        void data(byte[] chunk);

        /** The peer closed (or reset) the connection; called once, after all its data. */
        void closed();
    }

    /** Why an open failed. */
    public enum Failure { NOT_LOOPBACK, REFUSED }

    /** Receives the outcome of {@link #open}, under the simulator lock. */
    public interface OpenCallback {
        void opened(SimConnection connection, Failure failure);
    }

    private record Pending(long dueNanos, byte[] bytes) {
    }

    private final ModemContext ctx;
    private final Socket socket;
    private final Listener listener;
    private final int maxChunk;
    private final int sendBufferCapacity;
    private final ArrayDeque<Pending> sendQueue = new ArrayDeque<>();
    private final AtomicLong totalSent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private int queuedBytes;
    private int receiveCredit;
    private volatile boolean closed;
    private volatile boolean hostClosed;

    private SimConnection(ModemContext ctx, Socket socket, Listener listener, int maxChunk, int sendBufferCapacity,
            int receiveWindow) {
        this.ctx = ctx;
        this.socket = socket;
        this.listener = listener;
        this.maxChunk = maxChunk;
        this.sendBufferCapacity = sendBufferCapacity;
        this.receiveCredit = receiveWindow;
    }

    /**
     * Connects to {@code ip:port} off the lock: refuses anything outside 127.0.0.0/8, then takes one round trip
     * (the TCP handshake) before reporting. Data starts flowing only after {@link #start()}.
     */
    public static void open(ModemContext ctx, String ip, int port, int maxChunk, int sendBufferCapacity,
            int receiveWindow, Listener listener, OpenCallback callback) {
        if (!NameTable.isLoopback(ip)) {
            log.debug("refusing a connection to {}: only 127.0.0.0/8 is reachable", ip);
            ctx.schedule(ctx.conditions().rttMillis(), () -> callback.opened(null, Failure.NOT_LOOPBACK));
            return;
        }
        ctx.runBlocking(() -> {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(ip, port), CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                log.debug("connect to {}:{} failed: {}", ip, port, e.toString());
                closeQuietly(s);
                ctx.schedule(ctx.conditions().rttMillis(), () -> callback.opened(null, Failure.REFUSED));
                return;
            }
            SimConnection c = new SimConnection(ctx, s, listener, maxChunk, sendBufferCapacity, receiveWindow);
            ctx.track(c);
            ctx.schedule(ctx.conditions().rttMillis(), () -> {
                if (!s.isClosed()) {
                    callback.opened(c, null);
                }
            });
        });
    }

    /** Starts moving data (call once the dialect has recorded the connection). */
    public void start() {
        ctx.runBlocking(this::readLoop);
        ctx.runBlocking(this::writeLoop);
    }

    /** Queues bytes for the peer; false when the send buffer cannot take them. */
    public boolean send(byte[] data) {
        synchronized (sendQueue) {
            if (closed || queuedBytes + data.length > sendBufferCapacity) {
                return false;
            }
            long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ctx.conditions().halfRttMillis());
            sendQueue.addLast(new Pending(due, data.clone()));
            queuedBytes += data.length;
            totalSent.addAndGet(data.length);
            sendQueue.notifyAll();
            return true;
        }
    }

    /**
     * Queues bytes for the peer, waiting while the send buffer is full (hardware flow control: the modem stops taking
     * bytes from the host until there is room). Never call it with the simulator lock held. Returns false when the
     * connection is closed (before or while waiting).
     */
    public boolean sendWaiting(byte[] data) throws InterruptedException {
        if (data.length > sendBufferCapacity) {
            throw new IllegalArgumentException(data.length + " bytes never fit a " + sendBufferCapacity
                    + "-byte send buffer");
        }
        synchronized (sendQueue) {
            if (!closed && queuedBytes + data.length > sendBufferCapacity) {
                ctx.stats().countHeldBack();
            }
            while (!closed && queuedBytes + data.length > sendBufferCapacity) {
                sendQueue.wait();
            }
            return send(data);
        }
    }

    /** The host consumed {@code n} received bytes: the modem may read that much more from the peer. */
    public void release(int n) {
        synchronized (sendQueue) {
            receiveCredit += n;
            sendQueue.notifyAll();
        }
    }

    public long totalSent() {
        return totalSent.get();
    }

    /** Bytes the peer has acknowledged: written to it, plus half a round trip for the ACK to come back. */
    public long acked() {
        return acked.get();
    }

    public long unacked() {
        return totalSent.get() - acked.get();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    /** Closes the TCP connection without reporting anything (the host closed the socket). */
    public void close() {
        hostClosed = true;
        closeReported.set(true);
        shutdown();
    }

    /** The peer closes: the connection ends and {@link Listener#closed()} follows after the one-way delay. */
    public void closeAsRemote() {
        shutdown();
        reportClosed();
    }

    private void shutdown() {
        synchronized (sendQueue) {
            closed = true;
            sendQueue.clear();
            sendQueue.notifyAll();
        }
        closeQuietly(socket);
        ctx.untrack(this);
    }

    private void reportClosed() {
        if (closeReported.compareAndSet(false, true)) {
            ctx.schedule(ctx.conditions().halfRttMillis(), listener::closed);
        }
    }

    private void readLoop() {
        byte[] buf = new byte[maxChunk];
        try {
            InputStream in = socket.getInputStream();
            while (!closed) {
                int room;
                synchronized (sendQueue) {
                    while (receiveCredit <= 0 && !closed) {
                        sendQueue.wait();
                    }
                    room = Math.min(buf.length, receiveCredit);
                }
                if (closed) {
                    break;
                }
                int n = in.read(buf, 0, room);
                if (n < 0) {
                    break;
                }
                synchronized (sendQueue) {
                    receiveCredit -= n;
                }
                byte[] chunk = java.util.Arrays.copyOf(buf, n);
                ctx.schedule(ctx.conditions().halfRttMillis(), () -> {
                    if (!hostClosed) {
                        listener.data(chunk);
                    }
                });
            }
        } catch (IOException e) {
            log.debug("socket read ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!hostClosed) {
            reportClosed();
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = socket.getOutputStream();
            while (true) {
                Pending p;
                synchronized (sendQueue) {
                    while (sendQueue.isEmpty() && !closed) {
                        sendQueue.wait();
                    }
                    if (closed) {
                        return;
                    }
                    p = sendQueue.peekFirst();
                }
                long wait = p.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                out.write(p.bytes());
                out.flush();
                synchronized (sendQueue) {
                    sendQueue.pollFirst();
                    queuedBytes -= p.bytes().length;
                    sendQueue.notifyAll();   // a host waiting for room (sendWaiting)
                }
                int n = p.bytes().length;
                long halfRtt = ctx.conditions().halfRttMillis();
                if (halfRtt <= 0) {
                    acked.addAndGet(n); // no simulated latency: acknowledged before any answer can come back
                } else {
                    ctx.schedule(halfRtt, () -> acked.addAndGet(n));
                }
            }
        } catch (IOException e) {
            log.debug("socket write ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            log.debug("closing a simulated socket: {}", e.toString());
        }
    }
}
