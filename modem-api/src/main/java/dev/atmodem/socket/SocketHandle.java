package dev.atmodem.socket;

import dev.atmodem.ModemException;
import dev.atmodem.at.AtCancelledException;
import dev.atmodem.at.Cancellation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open modem socket inside the {@link SocketEngine}: its receive buffer, its state, and the blocking read and
 * write that {@link dev.atmodem.ModemSocket}'s streams call. Every wait here wakes when the socket is closed from
 * another thread.
 */
public final class SocketHandle {

    private static final long MAX_BACKOFF_MS = 1000;
    private static final long FIRST_BACKOFF_MS = 20;
    /**
     * Data a modem pushes unasked (NINA-W EDM frames, BG96/SIM800 push mode) cannot be held back at the modem, so an
     * application that stops reading would make the buffer grow without end. Beyond this many receive buffers the
     * socket fails with a clear error instead; what was buffered is still delivered first.
     */
    static final int PUSH_LIMIT_BUFFERS = 16;
    /**
     * A reader pulls the next chunk itself only when its timeout leaves at least this long (or it has none). Its read
     * command leaves the line's queue when the timeout passes, but once on the line it runs to its end (its answer
     * carries the data): a shorter timeout is left to the pump and so kept exactly. A longer one is overrun by at most
     * that one exchange, or, if the modem stops answering, until the read command's own timeout fails the socket.
     */
    static final long DIRECT_PULL_MIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SocketEngine engine;
    private final int id;
    private final String host;
    private final int port;
    private final ReentrantLock lock = new ReentrantLock();
    /** One write() at a time, in arrival order: a write's chunks must not interleave with another thread's. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    private final ByteBuf rx = Unpooled.buffer(0);
    /** Announced: {@link #close()} wakes the AT engine's waiters, so a send waiting for its result need not poll it. */
    private final Cancellation closedCancel = Cancellation.announced(this::isClosed);

    private boolean modemHasData;
    /** Pulls that ended leaving more on the modem for a reader to take (see {@link #pullEnded}). */
    private long pullEnds;
    /** The pump stopped pulling because this buffer was full; a read that makes room resumes it. */
    private boolean pausedFull;
    /** A read command for this socket is under way (the pump's or a reader's); guarded by the engine's read queue. */
    boolean pulling;
    /** The application closed the socket during a reader's pull: the modem-side close follows it (read-queue lock). */
    boolean closeAfterPull;
    /** Readers waiting that will pull the next chunk themselves (see {@link SocketEngine}). */
    private final java.util.concurrent.atomic.AtomicInteger pullingReaders = new java.util.concurrent.atomic.AtomicInteger();
    /** Counts {@link SocketEngine#requestRead} calls (under the engine's read-queue lock): see the pump. */
    private long readRequests;
    private boolean remoteClosed;
    private boolean eof;
    private volatile boolean closed;
    private boolean inputShutdown;
    private boolean outputShutdown;
    private IOException failure;
    private long bytesIn;
    private volatile long bytesOut;
    private volatile boolean wroteSinceRead;
    private volatile long roundTrips;
    private volatile long bytesDelivered;

    SocketHandle(SocketEngine engine, int id, String host, int port) {
        this.engine = engine;
        this.id = id;
        this.host = host;
        this.port = port;
    }

    public int id() {
        return id;
    }

    public String peer() {
        return host + ":" + port;
    }

    /**
     * Reads at least one byte and at most {@code len}, waiting up to {@code timeoutMillis} (0 = forever). Returns -1 at
     * the end of the stream. Buffered bytes are always delivered before a failure is reported.
     */
    public int read(byte[] b, int off, int len, int timeoutMillis) throws IOException {
        if (len == 0) {
            return 0;
        }
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        long pollDelay = engine.settings().pollInitial().toNanos();
        long nextPoll = System.nanoTime() + pollDelay;
        boolean resume = false;
        boolean tryPull = true;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                if (rx.isReadable()) {
                    int n = Math.min(len, rx.readableBytes());
                    rx.readBytes(b, off, n);
                    bytesDelivered += n;
                    if (wroteSinceRead) {
                        wroteSinceRead = false;
                        roundTrips++; // an answer to what we sent: one exchange with the peer
                    }
                    rx.discardSomeReadBytes();
                    // The pump paused while our buffer was full: resume it once there is room again.
                    resume = pausedFull && rx.readableBytes() <= engine.settings().receiveBuffer() / 2;
                    if (resume) {
                        pausedFull = false;
                    }
                    return n;
                }
                if (inputShutdown || eof) {
                    return -1;
                }
                if (failure != null) {
                    throw new ModemException(failure.getMessage(), failure);
                }
                long now = System.nanoTime();
                if (deadline != 0 && now - deadline >= 0) {
                    throw new SocketTimeoutException("Read timed out after " + timeoutMillis + " ms on socket "
                            + id + " (" + peer() + ")");
                }
                boolean pullsItself = deadline == 0 || deadline - now >= DIRECT_PULL_MIN_NANOS;
                if (modemHasData && tryPull) {
                    // The modem holds more and the buffer is empty: pull it on this thread, unless a pull is already
                    // under way (its bytes wake us) or the timeout is too short to wait for one (the pump pulls).
                    // Not under this socket's lock: the engine takes its read-queue lock first, then this one.
                    tryPull = false;
                    long endsBefore = pullEnds;
                    lock.unlock();
                    try {
                        if (pullsItself && engine.claimPull(this)) {
                            long until = deadline;
                            engine.pullClaimed(this, () -> closed || until != 0 && System.nanoTime() - until >= 0);
                            tryPull = true;
                        } else if (!pullsItself) {
                            engine.ensurePulled(this);
                        }
                    } finally {
                        lock.lock();
                    }
                    if (pullEnds != endsBefore) {
                        tryPull = true; // the pull we found under way ended meanwhile and left more: ours to make now
                    }
                    if (Thread.currentThread().isInterrupted() && !rx.isReadable()) {
                        // the pull left the line's queue because of it: report it, as a wait here would
                        throw new java.io.InterruptedIOException("interrupted while reading socket " + id);
                    }
                    continue; // the buffer may have changed while the lock was released
                }
                if (now - nextPoll >= 0) {
                    // Data-ready URCs can be missed: ask the modem directly, backing off while nothing comes; this
                    // thread asks itself when it may (next turn of the loop), the pump otherwise.
                    lock.unlock();
                    try {
                        if (pullsItself) {
                            engine.mayHaveData(this);
                            tryPull = true;
                        } else {
                            engine.requestRead(this);
                        }
                    } finally {
                        lock.lock();
                    }
                    pollDelay = Math.min(pollDelay * 2, engine.settings().pollMax().toNanos());
                    nextPoll = now + pollDelay;
                    continue;
                }
                long wait = nextPoll - now;
                if (deadline != 0) {
                    wait = Math.min(wait, deadline - now);
                }
                if (pullsItself) {
                    pullingReaders.incrementAndGet();
                }
                try {
                    awaitNanos(wait);
                } finally {
                    if (pullsItself) {
                        pullingReaders.decrementAndGet();
                    }
                }
                tryPull = true;
            }
        } finally {
            lock.unlock();
            if (resume) {
                engine.requestRead(this);
            }
        }
    }

    /**
     * Bytes that can be read without blocking. An application that polls this before it reads still gets its data:
     * while the buffer is empty and the modem holds more, the pump is asked to fetch it.
     */
    public int available() {
        boolean fetch;
        lock.lock();
        try {
            int n = rx.readableBytes();
            fetch = n == 0 && modemHasData && !closed && failure == null && !inputShutdown;
            if (!fetch) {
                return n;
            }
        } finally {
            lock.unlock();
        }
        engine.ensurePulled(this);
        return 0;
    }

    /**
     * Writes all of {@code b[off..off+len)} in chunks of the model's limit; returns only when the modem accepted every
     * byte, or throws. Concurrent writes are serialized whole, as on a JDK socket. A chunk the modem refuses for now is retried with back-off until the write timeout passes
     * without progress.
     */
    public void write(byte[] b, int off, int len) throws IOException {
        acquireWriteLock();
        try {
            writeChunks(b, off, len);
        } finally {
            writeLock.unlock();
        }
    }

    /** Waits for a write of another thread to finish; a close, shutdown or failure meanwhile ends the wait. */
    private void acquireWriteLock() throws IOException {
        try {
            while (!writeLock.tryLock(50, TimeUnit.MILLISECONDS)) {
                checkWritable();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to write on socket " + id);
        }
    }

    private void writeChunks(byte[] b, int off, int len) throws IOException {
        int max = engine.capabilities().maxSendChunk();
        long timeoutNanos = engine.settings().writeTimeout().toNanos();
        long lastProgress = System.nanoTime();
        long backoff = FIRST_BACKOFF_MS;
        while (len > 0) {
            checkWritable();
            int n = Math.min(len, max);
            int accepted;
            try {
                accepted = engine.driver().send(id, b, off, n, closedCancel);
            } catch (AtCancelledException e) {
                throw new SocketException("Socket closed");
            } catch (IOException e) {
                checkWritable();
                throw new ModemException("sending on socket " + id + " (" + peer() + ") failed: " + e.getMessage(), e);
            }
            if (accepted > 0) {
                off += accepted;
                len -= accepted;
                bytesOut += accepted;
                wroteSinceRead = true;
                lastProgress = System.nanoTime();
                backoff = FIRST_BACKOFF_MS;
                continue;
            }
            if (System.nanoTime() - lastProgress > timeoutNanos) {
                throw new ModemException("sending on socket " + id + " (" + peer() + ") made no progress for "
                        + engine.settings().writeTimeout().toMillis() + " ms: the modem kept refusing data"
                        + " (send buffer full, the peer is not reading?)");
            }
            lock.lock();
            try {
                if (!closed) {
                    awaitNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                }
            } finally {
                lock.unlock();
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private void checkWritable() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new SocketException("Socket closed");
            }
            if (outputShutdown) {
                throw new SocketException("Socket output is shutdown");
            }
            if (failure != null) {
                throw new ModemException(failure.getMessage(), failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** No more reads: buffered and future data are discarded, reads return -1. */
    public void shutdownInput() {
        lock.lock();
        try {
            inputShutdown = true;
            rx.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * No more writes. Modems offer no TCP half-close, so the peer sees no FIN until the socket is closed; only the
     * local side is shut.
     */
    public void shutdownOutput() {
        lock.lock();
        try {
            outputShutdown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the socket: wakes blocked readers and writers at once, then closes it on the modem. */
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            rx.release();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        engine.wakeCommandWaiters(); // closedCancel is announced
        engine.closed(this);
    }

    public boolean isClosed() {
        return closed;
    }

    public long bytesReceived() {
        lock.lock();
        try {
            return bytesIn;
        } finally {
            lock.unlock();
        }
    }

    public long bytesSent() {
        return bytesOut;
    }

    /** Bytes handed to the application by read() so far. */
    public long bytesDelivered() {
        return bytesDelivered;
    }

    /** How many times the application read data after having written: request/response exchanges so far. */
    public long roundTrips() {
        return roundTrips;
    }

    // ---- called by the engine ----

    void append(byte[] data) {
        lock.lock();
        try {
            if (closed || inputShutdown || failure != null) {
                return;
            }
            long limit = (long) engine.settings().receiveBuffer() * PUSH_LIMIT_BUFFERS;
            if (rx.readableBytes() + (long) data.length > limit) {
                failure = new ModemException("socket " + id + " (" + peer() + ") was closed: the application did not "
                        + "read it while the modem kept pushing data, and " + rx.readableBytes() + " unread bytes "
                        + "reached the limit of " + limit + " (" + PUSH_LIMIT_BUFFERS + " x the receive buffer); "
                        + "the bytes already buffered are delivered, later ones were dropped");
                changed.signalAll();
                return;
            }
            rx.writeBytes(data);
            bytesIn += data.length;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int buffered() {
        lock.lock();
        try {
            return closed ? 0 : rx.readableBytes();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a reader waits that will pull the next chunk itself. */
    boolean hasPullingReader() {
        return pullingReaders.get() > 0;
    }

    /** Under the engine's read-queue lock. */
    long readRequests() {
        return readRequests;
    }

    /** Under the engine's read-queue lock: a data-ready or close event asked for a read. */
    void readRequested() {
        readRequests++;
    }

    /** The pump found no room for another chunk: the next read that drains the buffer to half asks for more. */
    void pausedFull() {
        lock.lock();
        try {
            pausedFull = true;
        } finally {
            lock.unlock();
        }
    }

    /** A pull ended and the modem holds more: a reader waiting for that pull to end may make the next one. */
    void pullEnded() {
        lock.lock();
        try {
            pullEnds++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void setModemHasData(boolean v) {
        lock.lock();
        try {
            modemHasData = v;
        } finally {
            lock.unlock();
        }
    }

    void setRemoteClosed() {
        lock.lock();
        try {
            remoteClosed = true;
        } finally {
            lock.unlock();
        }
    }

    boolean isRemoteClosed() {
        lock.lock();
        try {
            return remoteClosed;
        } finally {
            lock.unlock();
        }
    }

    void endOfStream() {
        lock.lock();
        try {
            eof = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean hasFailed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    private void awaitNanos(long nanos) throws IOException {
        try {
            changed.awaitNanos(Math.max(1, nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting on socket " + id);
        }
    }

    @Override
    public String toString() {
        return "socket " + id + " to " + peer();
    }
}
