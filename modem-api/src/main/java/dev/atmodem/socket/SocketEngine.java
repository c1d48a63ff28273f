package dev.atmodem.socket;

import dev.atmodem.ModemException;
import dev.atmodem.at.AtArgs;
import dev.atmodem.at.AtEngine;
import dev.atmodem.at.Cancellation;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ReadChunk;
import dev.atmodem.spi.SocketEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one socket engine every driver shares. It turns the driver's primitives (open, send a chunk, read a chunk,
 * close) into stream sockets with java.net semantics:
 *
 * <ul>
 *   <li>Receiving: data-ready URCs mark a socket; a pump on the event thread reads one chunk per turn from each marked
 *       socket, round robin, so sockets share the line fairly and URCs are handled between chunks. It keeps reading
 *       until the modem reports nothing left (data-ready URCs are edge-triggered, QUIRKS 11), and a reader that has
 *       waited long triggers a poll. Per-socket host buffers are bounded; a full buffer pauses the pulling.
 *       An application thread that waits in {@code read()} with an empty buffer while the modem holds more pulls the
 *       next chunk itself, as a JDK socket reads on the caller's thread: the pump then leaves that socket to it, which
 *       spares the event thread a wake-up per chunk. One pull per socket is under way at a time, whoever makes it, so
 *       the bytes stay in order.</li>
 *   <li>Sending: writes are cut to the model's chunk limit; a refused chunk ({@code SEND FAIL}) is retried with
 *       back-off until the write timeout, so a write either reaches the modem or throws.</li>
 *   <li>Failure: bearer loss, reboot and link loss fail every socket with an exception that says why, after the bytes
 *       already received have been read.</li>
 * </ul>
 */
public final class SocketEngine implements SocketEvents {

    private static final Logger log = LoggerFactory.getLogger(SocketEngine.class);

    /** Tuning of the engine, from {@link dev.atmodem.ModemOptions}. */
    public record Settings(Duration connectTimeout, Duration writeTimeout, Duration pollInitial, Duration pollMax,
                           int receiveBuffer) {
    }

    private final AtEngine at;
    private final ModelCapabilities caps;
    private final Settings settings;
    private final Map<Integer, SocketHandle> open = new ConcurrentHashMap<>();
    /**
     * Events for an id that has no handle yet: URCs race the connect result, because the connect result reaches the
     * opening thread directly while URCs go through the event thread. Guarded by {@code open}'s monitor together
     * with the registration of new handles, so nothing falls between the two.
     */
    private final Map<Integer, Early> early = new java.util.HashMap<>();
    /** Ids still being closed on the modem; guarded by {@code open}'s monitor. */
    private final Set<Integer> closingIds = new java.util.HashSet<>();
    /** Sockets whose modem-side close is still running on the event thread. */
    private final java.util.concurrent.atomic.AtomicInteger closing = new java.util.concurrent.atomic.AtomicInteger();

    private static final class Early {
        boolean dataReady;
        boolean remoteClosed;
        final java.io.ByteArrayOutputStream pushed = new java.io.ByteArrayOutputStream();
    }
    private final ArrayDeque<SocketHandle> readQueue = new ArrayDeque<>();
    private boolean pumpScheduled;
    private volatile DriverSession driver;
    private volatile java.util.function.Consumer<String> downListener = why -> { };
    private volatile IOException down;

    public SocketEngine(AtEngine at, ModelCapabilities caps, Settings settings) {
        this.at = Objects.requireNonNull(at, "at");
        this.caps = Objects.requireNonNull(caps, "caps");
        this.settings = Objects.requireNonNull(settings, "settings");
        at.onLinkLost(e -> {
            down = e;
            failAll(e.getMessage());
        });
    }

    /** Binds the driver session (created after the engine, because the driver reports events to it). */
    public void bind(DriverSession session) {
        this.driver = Objects.requireNonNull(session, "session");
    }

    public ModelCapabilities capabilities() {
        return caps;
    }

    Settings settings() {
        return settings;
    }

    DriverSession driver() {
        return driver;
    }

    public int openCount() {
        return open.size();
    }

    /** Hears bearer loss and reboots reported by the driver, after the sockets were failed (the recovery trigger). */
    public void onDown(java.util.function.Consumer<String> listener) {
        this.downListener = Objects.requireNonNull(listener);
    }

    /** Marks the modem usable again after a recovery: new sockets may be opened. */
    public void markUp() {
        down = null;
    }

    /**
     * Opens a TCP connection through the modem. {@code host} is validated here, before anything reaches the line.
     * {@code timeout} null or zero means the configured default.
     */
    public SocketHandle connect(String host, int port, Duration timeout, Cancellation cancel) throws IOException {
        AtArgs.host(host);
        AtArgs.port(port);
        IOException d = down;
        if (d != null) {
            throw new ModemException("cannot open a socket: " + d.getMessage(), d);
        }
        awaitClosesIfFull();
        if (open.size() >= caps.maxSockets()) {
            throw new ModemException("all " + caps.maxSockets() + " sockets of the " + caps.model()
                    + " are in use; close one first");
        }
        Duration t = timeout == null || timeout.isZero() ? settings.connectTimeout() : timeout;
        int id = driver.openTcp(host, port, t, cancel);
        SocketHandle h = new SocketHandle(this, id, host, port);
        Early e;
        synchronized (open) {
            open.put(id, h);
            e = early.remove(id);
        }
        if (e != null) {
            if (e.pushed.size() > 0) {
                h.append(e.pushed.toByteArray());
            }
            if (e.remoteClosed) {
                h.setRemoteClosed();
            }
            if (e.dataReady || e.remoteClosed) {
                requestRead(h);
            }
        }
        return h;
    }

    /** When every socket is taken but some are still being closed on the modem, wait for those closes. */
    private void awaitClosesIfFull() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (open.size() + closing.get() >= caps.maxSockets() && closing.get() > 0
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for a socket to close");
            }
        }
    }

    private Early early(int id) {
        return early.computeIfAbsent(id, k -> new Early());
    }

    /**
     * The application closed {@code h}: its readers and writers are already woken. The modem-side close runs on the
     * event thread so that {@code close()} never blocks the caller (OkHttp closes sockets from its watchdog thread).
     */
    void closed(SocketHandle h) {
        boolean wasOpen = open.remove(h.id(), h);
        synchronized (readQueue) {
            readQueue.remove(h);
        }
        if (!wasOpen || down != null || !at.isAlive()) {
            return; // failed sockets are forgotten: the driver's recover() resets its ids
        }
        closing.incrementAndGet();
        synchronized (open) {
            closingIds.add(h.id());
        }
        synchronized (readQueue) {
            if (h.pulling) {
                // A reader's read command for this id is under way on its own thread: close after it, or a new socket
                // given the freed id could have its first bytes read into this closed one and lost.
                h.closeAfterPull = true;
                return;
            }
        }
        closeOnModem(h);
    }

    private void closeOnModem(SocketHandle h) {
        at.runOnEventThread(() -> {
            try {
                if (down != null || !at.isAlive()) {
                    return; // failed meanwhile (a close deferred behind a pull): the driver's recover() resets its ids
                }
                driver.close(h.id());
            } catch (IOException | RuntimeException e) {
                if (at.isAlive()) {
                    log.warn("{}: closing socket {} on the modem failed: {}", at.name(), h.id(), e.getMessage());
                } else {
                    log.debug("{}: socket {} not closed on the modem, which is gone: {}", at.name(), h.id(),
                            e.getMessage());
                }
            } finally {
                // Per-socket URCs are recorded on the reader thread, in order with the close's answer: whatever the
                // old connection left behind is recorded by now, and is dropped before the id can be used again.
                synchronized (open) {
                    early.remove(h.id());
                    closingIds.remove(h.id());
                }
                closing.decrementAndGet();
            }
        });
    }

    // ---- receive pump (event thread) ----

    /**
     * The modem may hold data for {@code h}: the pump reads it until the modem reports it empty, unless someone else
     * already will. A pull under way sees the request when it ends (it counts {@link SocketHandle#readRequested}); a
     * reader that waits to pull itself is woken here. Neither needs the pump, whose visit would cost the event thread
     * a wake-up for nothing: on a SARA every chunk read leaves a {@code +UUSORD} behind it (§3B).
     */
    void requestRead(SocketHandle h) {
        boolean wakeReader = false;
        synchronized (readQueue) {
            h.readRequested();
            h.setModemHasData(true);
            if (h.pulling) {
                return;
            }
            if (h.hasPullingReader()) {
                wakeReader = true;
            } else {
                if (!readQueue.contains(h)) {
                    readQueue.addLast(h);
                }
                if (!pumpScheduled) {
                    pumpScheduled = true;
                    at.runOnEventThread(this::pumpOne);
                }
            }
        }
        if (wakeReader) {
            h.pullEnded(); // the reader makes the next pull
        }
    }

    /** Marks {@code h} as possibly holding data on the modem, for its reader to pull (a poll). */
    void mayHaveData(SocketHandle h) {
        synchronized (readQueue) {
            h.readRequested();
            h.setModemHasData(true);
        }
    }

    /** One chunk for one socket, then yield to the event queue so URCs interleave with reads. */
    private void pumpOne() {
        SocketHandle h;
        synchronized (readQueue) {
            h = readQueue.pollFirst();
            if (h == null) {
                pumpScheduled = false;
                return;
            }
        }
        try {
            pumpSocket(h);
        } finally {
            synchronized (readQueue) {
                if (readQueue.isEmpty()) {
                    pumpScheduled = false;
                } else {
                    at.runOnEventThread(this::pumpOne);
                }
            }
        }
    }

    private void pumpSocket(SocketHandle h) {
        long requestsBefore;
        synchronized (readQueue) {
            if (h.pulling) {
                return; // a reader is pulling this socket on its own thread; it carries on from there
            }
            if (!h.hasPullingReader()) {
                h.pulling = true;
                requestsBefore = h.readRequests();
            } else {
                requestsBefore = -1;
            }
        }
        if (requestsBefore < 0) {
            // A reader waits on this socket: it pulls on its own thread, taking its own turn on the line, so sockets
            // whose readers pull and sockets the pump serves share the line alike.
            h.pullEnded();
            return;
        }
        pull(h, requestsBefore, null);
    }

    /** Whether {@code e}, or what it wraps (drivers explain failures), says the read command never reached the line. */
    private static boolean leftQueue(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AtEngine.QueueLeftException) {
                return true;
            }
        }
        return false;
    }

    /** Has the pump fetch the next chunk of {@code h} unless a pull of it is already under way or queued. */
    void ensurePulled(SocketHandle h) {
        synchronized (readQueue) {
            if (h.pulling || readQueue.contains(h) || h.isClosed()) {
                return;
            }
            readQueue.addLast(h);
            if (!pumpScheduled) {
                pumpScheduled = true;
                at.runOnEventThread(this::pumpOne);
            }
        }
    }

    /**
     * Claims the next pull of {@code h} for a reader waiting in {@code read()} with an empty buffer: true when no other
     * pull of it is under way, and the caller must then run {@link #pullClaimed}.
     */
    boolean claimPull(SocketHandle h) {
        synchronized (readQueue) {
            if (h.pulling || h.isClosed()) {
                return false;
            }
            h.pulling = true;
            readQueue.remove(h); // the pump need not visit it: this pull decides what comes next
            return true;
        }
    }

    /** A socket's announced cancellation fired (it was closed): commands waiting on the line re-check theirs. */
    void wakeCommandWaiters() {
        at.wakeWaiters();
    }

    /**
     * A reader's own pull, after {@link #claimPull}: one chunk into its buffer, on the reader's thread. While the read
     * command waits for the line, {@code giveUp} (the socket closed, the read timed out) takes it out of the queue; once
     * it is on the line it runs to its end. So does an interrupt: it takes a queued command out, and is held back while
     * the command is on the line (its answer must not be cut off, its bytes would be lost); the reader's next wait
     * reports it as before (see {@link AtEngine#leaveQueueWhen}).
     */
    void pullClaimed(SocketHandle h, Cancellation giveUp) {
        long requestsBefore;
        synchronized (readQueue) {
            requestsBefore = h.readRequests();
        }
        pull(h, requestsBefore, giveUp);
    }

    /**
     * One read command for {@code h}, by the pump ({@code giveUp} null) or by a reader, which has claimed the pull.
     * While the modem may hold more, the pump queues the socket again, unless a reader waits on it. A reader's own pull
     * leaves the rest to that reader, which pulls the next chunk itself when it comes back for more (the socket stays
     * marked as holding data): handing it to the pump would wake the event thread for a pull whose bytes the reader
     * then waits for, three wake-ups where one does.
     */
    private void pull(SocketHandle h, long requestsBefore, Cancellation giveUp) {
        boolean byPump = giveUp == null;
        boolean requeue = false;
        boolean more = false;
        long requestsDecided = -1; // the request count the outcome below was decided on
        try {
            if (h.isClosed() || h.hasFailed()) {
                return;
            }
            int room = settings.receiveBuffer() - h.buffered();
            if (room <= 0) {
                h.pausedFull(); // resumed by the reader when it drains the buffer (SocketHandle.read)
                return;
            }
            ReadChunk c;
            int max = Math.min(caps.maxReadChunk(), room);
            try {
                c = byPump ? driver.read(h.id(), max) : at.leaveQueueWhen(giveUp, () -> driver.read(h.id(), max));
            } catch (IOException | RuntimeException e) {
                if (leftQueue(e)) {
                    return; // nothing was sent: the data is still on the modem, and the reader sees why it gave up
                }
                if (h.isRemoteClosed()) {
                    h.endOfStream();
                } else if (!h.isClosed()) {
                    h.fail(new ModemException("reading socket " + h.id() + " (" + h.peer() + ") failed: "
                            + e.getMessage(), e));
                }
                return;
            }
            // "Empty" holds only if no data-ready or close event asked for a read while this one was under way: the
            // reader thread records those concurrently, and data that arrived after the modem's answer would otherwise
            // be cut off by an end of stream declared on that stale answer (a truncated HTTP body under load).
            boolean drained;
            boolean endOfStream;
            synchronized (readQueue) {
                drained = !c.mayHaveMore() && h.readRequests() == requestsBefore;
                endOfStream = drained && h.isRemoteClosed();
                if (drained) {
                    // Before the bytes are handed over: a reader woken by them must not see the modem as still holding
                    // data, or it asks for a read that can only come back empty (one AT round trip per received flight).
                    h.setModemHasData(false);
                }
                more = !drained;
                requeue = more && byPump && !h.hasPullingReader();
                requestsDecided = h.readRequests();
            }
            if (c.data().length > 0) {
                h.append(c.data());
            }
            if (endOfStream) {
                h.endOfStream();
            }
        } finally {
            boolean closeNow;
            synchronized (readQueue) {
                if (!more && requestsDecided >= 0 && h.readRequests() != requestsDecided) {
                    // A request came after the outcome was decided but while this pull still counted as under way, so
                    // requestRead left it to this pull: the modem may hold more after all.
                    more = true;
                    requeue = byPump && !h.hasPullingReader();
                }
                h.pulling = false;
                closeNow = h.closeAfterPull;
                h.closeAfterPull = false;
                if (requeue && !closeNow && !readQueue.contains(h)) {
                    readQueue.addLast(h);
                    if (!pumpScheduled) {
                        pumpScheduled = true;
                        at.runOnEventThread(this::pumpOne);
                    }
                }
            }
            if (closeNow) {
                closeOnModem(h);
            } else if (more && !requeue) {
                // A reader that came back for more while this pull was finishing found it still under way and waits:
                // the next pull is now its to make.
                h.pullEnded();
            }
        }
    }

    // ---- events from the driver's URC handlers ----

    @Override
    public boolean mayReuse(int id) {
        synchronized (open) {
            return !closingIds.contains(id);
        }
    }

    @Override
    public void dataReady(int id) {
        SocketHandle h;
        synchronized (open) {
            h = open.get(id);
            if (h == null) {
                early(id).dataReady = true;
                return;
            }
        }
        requestRead(h);
    }

    @Override
    public void dataPushed(int id, byte[] data) {
        SocketHandle h;
        synchronized (open) {
            h = open.get(id);
            if (h == null) {
                early(id).pushed.writeBytes(data);
                return;
            }
        }
        h.append(data);
    }

    @Override
    public void remoteClosed(int id) {
        SocketHandle h;
        synchronized (open) {
            h = open.get(id);
            if (h == null) {
                early(id).remoteClosed = true;
                return;
            }
        }
        h.setRemoteClosed();
        requestRead(h); // drain what the modem still holds, then end of stream (QUIRKS 12)
    }

    @Override
    public void bearerLost(String why) {
        down = new ModemException("the modem's data connection dropped (" + why + ")");
        downListener.accept("data connection dropped (" + why + ")"); // state first, then the sockets
        failAll("the modem's data connection dropped (" + why + ")");
    }

    @Override
    public void rebooted(String why) {
        down = new ModemException("the modem restarted (" + why + ")");
        downListener.accept("modem restarted (" + why + ")"); // state first, then the sockets
        failAll("the modem restarted (" + why + "); its sockets are gone");
    }

    /** The modem is unusable (stopped answering, recovering): fail every socket, refuse new ones until markUp. */
    public void fail(String why) {
        down = new ModemException(why);
        failAll(why);
    }

    /** Fails every socket and refuses new ones: the modem is being closed. */
    public void shutdown(String why) {
        down = new ModemException(why);
        failAll(why);
    }

    private void failAll(String why) {
        for (SocketHandle h : open.values()) {
            h.fail(new ModemException("socket " + h.id() + " to " + h.peer() + " failed: " + why));
        }
        synchronized (open) {
            open.clear();
            early.clear();
        }
    }
}
