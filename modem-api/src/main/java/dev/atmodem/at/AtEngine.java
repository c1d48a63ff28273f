package dev.atmodem.at;

import dev.atmodem.LinkLostException;
import dev.atmodem.ModemException;
import dev.atmodem.link.Printable;
import dev.atmodem.link.Secrets;
import dev.atmodem.link.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The AT engine of one modem: one reader thread parses everything the modem sends, one event thread runs URC
 * handlers, and application threads run commands one at a time over the shared line.
 *
 * <p>How a line is classified while a command runs: the command's own echo is dropped (QUIRKS 1); a line awaited by a
 * {@link FollowUp} goes there; a line with one of the command's response prefixes belongs to the command even if it
 * also looks like a URC ({@code +CPIN: READY}, QUIRKS 9); a line matching the URC table is dispatched as a URC, even in
 * the middle of the response; {@code OK}, {@code ERROR}, {@code +CME ERROR}, {@code +CMS ERROR}, {@code NO CARRIER} and
 * the command's own finals end it; anything else is an information line. A bare {@code ERROR} waits briefly for a
 * {@code +CME ERROR} detail line that some modems send separately (QUIRKS 13).
 *
 * <p>Threads: the reader thread never blocks on a command and never writes a command. The one thing it writes is a
 * payload due at once after its prompt ({@code > }), so that the prompt wakes no thread; it waits for no answer to it.
 * A command that times out leaves the line in an unknown state, so the next command first re-synchronises with a plain
 * {@code AT}.
 */
public final class AtEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AtEngine.class);
    private static final Logger trace = LoggerFactory.getLogger("dev.atmodem.at.trace");
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Duration RESYNC_TIMEOUT = Duration.ofSeconds(2);
    private static final long RESYNC_QUIET_MS = 100;
    /**
     * What one command's answer may hold before the engine stops collecting it: far above any real answer (a full
     * phonebook or SMS listing is a few hundred lines), low enough that a modem flooding the line cannot fill memory.
     */
    static final int MAX_RESPONSE_LINES = 4096;
    static final long MAX_RESPONSE_BYTES = 1 << 20;
    /**
     * URCs waiting for the event thread, at most: a modem that floods URCs while the event thread is busy (a socket
     * read waiting for its answer) must not grow the queue without bound. A URC repeated back to back while the first
     * still waits is merged into it (a repeated "data ready" says nothing new), so only a flood of varied URCs reaches
     * this; beyond it URCs are dropped, with a warning. URCs that carry socket data are neither merged nor dropped.
     */
    static final int MAX_PENDING_URCS = 1024;
    private static final int RESYNC_GARBLED_ATTEMPTS = 16;

    /** Settings of the engine; see each field. */
    public record Settings(Duration defaultTimeout, Duration errorDetailLinger, int maxLine, int maxPayload) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofMillis(50), AtParser.DEFAULT_MAX_LINE,
                    AtParser.DEFAULT_MAX_PAYLOAD);
        }

        public Settings withDefaultTimeout(Duration t) {
            return new Settings(t, errorDetailLinger, maxLine, maxPayload);
        }
    }

    private record UrcRoute(Predicate<String> matcher, UrcHandler handler) {
    }

    private static final class Pending {
        final AtCommand cmd;
        final List<AtLine> lines = new ArrayList<>();
        long lineBytes;
        String finalLine;
        boolean errorFinal;
        long bareErrorAt;
        boolean promptSeen;
        /** When the reader parsed the prompt (System.nanoTime): a prompt delay counts from here. */
        long promptAt;
        /** When the command was written (System.nanoTime). */
        long sentAt;
        /** The prompt is later than expected: the reader must wake the waiter when it comes (see awaitState). */
        boolean wantPromptSignal;
        /**
         * A payload due at once after its prompt: the reader writes it when the prompt comes, so the prompt wakes
         * nobody and the line does not wait for the waiter's wake-up (see {@link ParserEvents#prompt}).
         */
        final boolean readerSendsPayload;
        /** The reader has taken the payload to write: it goes out whole, before anything written after this. */
        boolean payloadClaimed;
        /** A cancel came before the payload was claimed: the claim must wake the waiter so it can give up then. */
        boolean wakeOnClaim;
        /** The waiter gave up (timeout, cancel, interrupt): a prompt that comes now must not be answered with payload. */
        boolean abandoned;
        boolean echoSeen;
        boolean done;
        IOException failure;

        Pending(AtCommand cmd) {
            this.cmd = cmd;
            this.readerSendsPayload = cmd.hasPayload() && cmd.promptDelay().isZero();
        }
    }

    private final SerialLink link;
    private final Settings settings;
    private final String name;
    private final AtParser parser;
    private final Secrets secrets;
    /** Commands take the line in arrival order, so sockets writing at once share it fairly. */
    private final FifoLock line = new FifoLock();
    private final ReentrantLock mon = new ReentrantLock();
    private final Condition changed = mon.newCondition();
    /**
     * How long the last prompt took to come after its command was written. A command whose payload must wait a pause
     * after the prompt (SARA's 50 ms) sleeps from the write to where prompt and pause should both be over, so that the
     * prompt's arrival need not wake it: one wake-up per chunk sent instead of two.
     */
    private volatile long promptLatencyNanos;
    private final List<UrcRoute> urcs = new CopyOnWriteArrayList<>();
    private final List<UrcRoute> recorders = new CopyOnWriteArrayList<>();
    private final List<FollowUp> followUps = new CopyOnWriteArrayList<>();
    /** URCs queued for the event thread whose handling has not started (see {@link #MAX_PENDING_URCS}). */
    private final java.util.concurrent.atomic.AtomicInteger pendingUrcs = new java.util.concurrent.atomic.AtomicInteger();
    /** The URC queued last (reader thread only): a repeat of it, while it still waits, is merged into it. */
    private QueuedUrc lastQueued;
    private final java.util.concurrent.atomic.AtomicLong urcsMerged = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong urcsDropped = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastDropWarning;
    private final List<Consumer<IOException>> linkLostListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> unresponsiveListeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events;
    private final Thread reader;
    private final OutputStream out;
    /** Writes come from the command's thread and (a payload after its prompt) the reader: one at a time, whole. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * The reader has claimed a payload and not yet written it (guarded by {@link #mon}): any other write waits for it,
     * so a resync's ESC can never overtake it. The reader does not hold {@code mon} while it writes.
     */
    private volatile boolean payloadInFlight;
    /** Signalled when {@link #payloadInFlight} ends; apart from {@link #changed}, so the sender sleeps through it. */
    private final Condition payloadWritten = mon.newCondition();
    private final InputStream in;

    private Pending current;
    private volatile boolean stale;
    /** A payload command timed out around its prompt: the modem may still be waiting for payload bytes. */
    private volatile boolean abandonedPrompt;
    private final java.util.concurrent.atomic.AtomicBoolean probeScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile IOException lost;
    private volatile boolean closed;

    public AtEngine(SerialLink link, Settings settings) throws IOException {
        this(link, settings, new Secrets());
    }

    /** An engine whose traces and messages mask {@code secrets} (shared with a {@code TracingLink}, say). */
    public AtEngine(SerialLink link, Settings settings, Secrets secrets) throws IOException {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.link = Objects.requireNonNull(link, "link");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.name = link.name();
        this.parser = new AtParser(new ParserEvents(), settings.maxLine(), settings.maxPayload());
        this.out = link.output();
        this.in = link.input();
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "atmodem-events " + name);
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(this::readLoop, "atmodem-reader " + name);
        this.reader.setDaemon(true);
    }

    /** Starts the reader thread. Register payload rules and URCs that must not be missed before this. */
    public AtEngine start() {
        reader.start();
        return this;
    }

    public String name() {
        return name;
    }

    public Settings settings() {
        return settings;
    }

    /** Secrets that the trace must mask even in lines the modem sends (for example an echoed PIN). */
    public Secrets secrets() {
        return secrets;
    }

    public void addPayloadRule(PayloadRule rule) {
        parser.addPayloadRule(rule);
    }

    /** Routes lines matching {@code matcher} to {@code handler} on the event thread, in arrival order. */
    public void onUrc(Predicate<String> matcher, UrcHandler handler) {
        urcs.add(new UrcRoute(Objects.requireNonNull(matcher), Objects.requireNonNull(handler)));
    }

    /**
     * Routes lines matching {@code matcher} to {@code recorder} <em>on the reader thread</em>, in exact order with
     * every other line. For handlers that only record state (a socket's "data waiting" or "closed" flag) and must not
     * be overtaken by a later answer, such as the {@code OK} of a close: they must never block or send commands.
     */
    public void onUrcRecord(Predicate<String> matcher, UrcHandler recorder) {
        recorders.add(new UrcRoute(Objects.requireNonNull(matcher), Objects.requireNonNull(recorder)));
    }

    /** Lines starting with {@code prefix} are URCs. */
    public void onUrcPrefix(String prefix, UrcHandler handler) {
        onUrc(l -> l.startsWith(prefix), handler);
    }

    /** Called on the event thread once, when the link is gone. */
    public void onLinkLost(Consumer<IOException> listener) {
        linkLostListeners.add(listener);
    }

    /** Called on the event thread when the modem answered neither a command nor the plain {@code AT} after it. */
    public void onUnresponsive(Consumer<String> listener) {
        unresponsiveListeners.add(listener);
    }

    /** Registers a {@link FollowUp} for lines matching {@code matcher}; do this before sending the command. */
    public FollowUp expect(Predicate<String> matcher, String description) {
        FollowUp f = new FollowUp(this, matcher, description);
        followUps.add(f);
        return f;
    }

    public FollowUp expectPrefix(String prefix) {
        return expect(l -> l.startsWith(prefix), "'" + prefix + "'");
    }

    void unregister(FollowUp f) {
        followUps.remove(f);
    }

    /** Runs a task on the event thread (URC handlers, the socket engine's reads). */
    public void runOnEventThread(Runnable task) {
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("{}: task on the event thread failed", name, e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("{}: engine closed, task dropped", name);
        }
    }

    public boolean isEventThread() {
        return Thread.currentThread().getName().equals("atmodem-events " + name);
    }

    /** Runs a command with the default cancellation (none). */
    public AtResponse execute(AtCommand cmd) throws IOException {
        return execute(cmd, Cancellation.NONE);
    }

    /** Shorthand for a command with no special framing. */
    public AtResponse execute(String text) throws IOException {
        return execute(AtCommand.of(text).build());
    }

    /**
     * Runs one command and returns its response, or throws: {@link AtException} when the modem answered with an error,
     * {@link AtTimeoutException} when it did not answer in time, {@link LinkLostException} when the link is gone,
     * {@link AtCancelledException} when {@code cancel} fired while waiting for the line or for the final result.
     */
    public AtResponse execute(AtCommand cmd, Cancellation cancel) throws IOException {
        if (Thread.currentThread() == reader) {
            throw new IllegalStateException("AT commands must never run on the reader thread");
        }
        Duration timeout = cmd.timeout() != null ? cmd.timeout() : settings.defaultTimeout();
        cmd.secrets().forEach(secrets::register);
        acquireLine(cmd, timeout, cancel);
        try {
            checkAlive();
            if (stale) {
                resync();
            }
            return exchange(cmd, timeout, cancel);
        } finally {
            line.release();
        }
    }

    /** See {@link #leaveQueueWhen}: this thread's commands give up their place in the line's queue when it fires. */
    private static final ThreadLocal<Cancellation> QUEUE_CANCEL = new ThreadLocal<>();

    /** Work that {@link #leaveQueueWhen} ran. */
    public interface IoWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} on this thread; a command it runs that still waits for its turn on the line gives up its place
     * with a {@link QueueLeftException} once {@code cancel} fires or the thread is interrupted. A command already on the
     * line runs to its end, and an interrupt meanwhile is restored after it: its answer carries data that must not be
     * lost. For a socket's reader that pulls data itself: it must wake at once on a close or its read timeout, even
     * while another thread's long command holds the line.
     */
    public <T> T leaveQueueWhen(Cancellation cancel, IoWork<T> work) throws IOException {
        Cancellation outer = QUEUE_CANCEL.get();
        QUEUE_CANCEL.set(cancel);
        try {
            return work.run();
        } finally {
            QUEUE_CANCEL.set(outer);
        }
    }

    /** A command left the line's queue before it was sent (see {@link #leaveQueueWhen}): nothing reached the modem. */
    public static final class QueueLeftException extends AtCancelledException {
        QueueLeftException(String message) {
            super(message);
        }
    }

    private void acquireLine(AtCommand cmd, Duration timeout, Cancellation cancel) throws IOException {
        // Waiting for the line is bounded too: the command ahead may take its own full timeout.
        long deadline = System.nanoTime() + timeout.toNanos() + Duration.ofMinutes(3).toNanos();
        try {
            while (!line.tryAcquire(SLICE_NANOS)) {
                boolean ok = false;
                try {
                    checkAlive();
                    if (cancel.isCancelled()) {
                        throw new AtCancelledException("cancelled while waiting to send " + cmd.logText());
                    }
                    Cancellation leave = QUEUE_CANCEL.get();
                    if (leave != null && leave.isCancelled()) {
                        throw new QueueLeftException("gave up waiting to send " + cmd.logText());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AtTimeoutException(cmd.logText(), "the serial line stayed busy; could not send "
                                + cmd.logText());
                    }
                    ok = true;
                } finally {
                    if (!ok) {
                        line.abandon();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (QUEUE_CANCEL.get() != null) {
                throw new QueueLeftException("interrupted while waiting to send " + cmd.logText());
            }
            throw new AtCancelledException("interrupted while waiting to send " + cmd.logText());
        }
    }

    private AtResponse exchange(AtCommand cmd, Duration timeout, Cancellation cancel) throws IOException {
        Pending p = new Pending(cmd);
        long deadline = System.nanoTime() + timeout.toNanos();
        mon.lock();
        try {
            current = p;
            if (cmd.hasPayload()) {
                parser.armPrompt(String.valueOf(cmd.prompt()));
            }
        } finally {
            mon.unlock();
        }
        try {
            if (trace.isDebugEnabled()) {
                trace.debug("{} -> {}", name, Printable.of(cmd.logText()));
            }
            write(cmd.bytes());
            p.sentAt = System.nanoTime();
            if (cmd.hasPayload() && !p.readerSendsPayload) {
                // Not cancellable: once the prompt is requested the modem expects the payload (QUIRKS 2). Returns once
                // the prompt came and its pause (if the command has one) is over.
                awaitState(p, deadline, Cancellation.NONE, true);
                if (p.promptSeen && !p.done) {
                    promptLatencyNanos = p.promptAt - p.sentAt;
                    byte[] data = cmd.payload();
                    if (trace.isDebugEnabled()) {
                        trace.debug("{} -> payload {}", name, Printable.preview(data, 0, data.length, 16));
                    }
                    write(data);
                }
            }
            awaitState(p, deadline, cancel, false);
        } finally {
            mon.lock();
            try {
                if (current == p) {
                    current = null;
                }
                parser.armPrompt("");
            } finally {
                mon.unlock();
            }
        }
        if (p.failure != null) {
            throw p.failure;
        }
        if (p.errorFinal) {
            throw CmeErrors.toException(cmd.logText(), p.finalLine);
        }
        return new AtResponse(p.lines, p.finalLine);
    }

    /**
     * Waits for the final result, or ({@code forPrompt}) for the prompt and the pause the command wants after it. Such
     * a waiter is not woken by the prompt: it sleeps until the prompt, going by the last one's latency (plus a quarter),
     * and the pause should both be over, and only if the prompt is later than that does it ask the reader to wake it.
     */
    private void awaitState(Pending p, long deadline, Cancellation cancel, boolean forPrompt) throws IOException {
        long lingerNanos = settings.errorDetailLinger().toNanos();
        long pauseNanos = forPrompt ? p.cmd.promptDelay().toNanos() : 0;
        long latency = promptLatencyNanos;
        long expectedPrompt = latency + latency / 4;
        long expectedReady = p.sentAt + expectedPrompt + pauseNanos;
        if (forPrompt && expectedPrompt > pauseNanos / 4) {
            // A slow prompt last time (a busy modem, a slow line) is no guide: a fast one now would wait for nothing.
            p.wantPromptSignal = true;
        }
        boolean interruptLater = false;
        mon.lock();
        try {
            while (true) {
                if (p.done || forPrompt && p.promptSeen && System.nanoTime() - (p.promptAt + pauseNanos) >= 0) {
                    return;
                }
                if (p.bareErrorAt != 0 && System.nanoTime() - p.bareErrorAt >= lingerNanos) {
                    p.done = true; // no +CME ERROR detail followed the bare ERROR
                    return;
                }
                if (lost != null) {
                    p.failure = lost;
                    p.done = true;
                    return;
                }
                if (closed) {
                    p.failure = new LinkLostException("the modem on " + name + " was closed while " + p.cmd.logText()
                            + " was running");
                    p.done = true;
                    return;
                }
                if (cancel.isCancelled()) {
                    if (!p.readerSendsPayload || p.payloadClaimed) {
                        stale = true;
                        p.abandoned = true;
                        throw new AtCancelledException("stopped waiting for the answer to " + p.cmd.logText());
                    }
                    // Not cancellable while the modem may still ask for the payload (QUIRKS 2): the claim wakes us.
                    p.wakeOnClaim = true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 && p.bareErrorAt == 0) {
                    stale = true;
                    p.abandoned = true;
                    abandonedPrompt = forPrompt || p.promptSeen || p.readerSendsPayload;
                    long ms = TimeUnit.NANOSECONDS.toMillis(p.cmd.timeout() != null ? p.cmd.timeout().toNanos()
                            : settings.defaultTimeout().toNanos());
                    String what = (forPrompt || p.readerSendsPayload) && !p.promptSeen ? "sent no prompt for "
                            : "did not answer ";
                    scheduleProbe(p.cmd);
                    throw new AtTimeoutException(p.cmd.logText(), "the modem " + what + p.cmd.logText() + " within "
                            + ms + " ms" + (p.lines.isEmpty() ? "" : " (it sent " + secrets.redact(p.lines.toString())
                            + ")"));
                }
                // Sleep until something can have changed: the reader, a close and a lost link signal; the deadline
                // and the error linger are known times; only a cancellation nobody announces must be polled.
                long wait = left > 0 ? left : Long.MAX_VALUE; // past the deadline only while an ERROR's detail may come
                if (p.bareErrorAt != 0) {
                    wait = Math.min(wait, p.bareErrorAt + lingerNanos - System.nanoTime());
                }
                if (!cancel.isAnnounced()) {
                    wait = Math.min(wait, SLICE_NANOS);
                }
                if (forPrompt && pauseNanos > 0) {
                    if (p.promptSeen) {
                        wait = Math.min(wait, p.promptAt + pauseNanos - System.nanoTime()); // the rest of the pause
                    } else if (!p.wantPromptSignal) {
                        long untilReady = expectedReady - System.nanoTime();
                        if (untilReady > 0) {
                            wait = Math.min(wait, untilReady);
                        } else {
                            p.wantPromptSignal = true; // later than expected: the reader wakes us when it comes
                            continue;
                        }
                    }
                }
                try {
                    changed.awaitNanos(Math.max(1, wait));
                } catch (InterruptedException e) {
                    if (QUEUE_CANCEL.get() != null) {
                        interruptLater = true; // on the line: the answer is awaited, the interrupt restored after it
                        continue;
                    }
                    Thread.currentThread().interrupt();
                    stale = true;
                    p.abandoned = true;
                    // a modem at its prompt takes the next bytes as payload: the resync must end that first
                    abandonedPrompt = abandonedPrompt || forPrompt || p.promptSeen || p.readerSendsPayload;
                    throw new AtCancelledException("interrupted while waiting for " + p.cmd.logText());
                }
            }
        } finally {
            mon.unlock();
            if (interruptLater) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Makes every command waiting for its answer re-check its {@link Cancellation#announced announced} cancel. */
    public void wakeWaiters() {
        mon.lock();
        try {
            changed.signalAll();
        } finally {
            mon.unlock();
        }
    }

    /**
     * After a command timed out, find out at once whether the modem still answers: if not, the unresponsive listeners
     * hear it now (and sockets fail promptly) rather than whenever the next command happens to run.
     */
    private void scheduleProbe(AtCommand timedOut) {
        if (timedOut.text().equals("AT") || !probeScheduled.compareAndSet(false, true)) {
            return; // plain AT probes belong to whoever is already checking the modem
        }
        runOnEventThread(() -> {
            probeScheduled.set(false);
            try {
                execute(AtCommand.of("AT").timeout(RESYNC_TIMEOUT).build());
            } catch (IOException e) {
                log.debug("{}: probe after a timeout: {}", name, e.getMessage());
            }
        });
    }

    /** After a timeout or a cancel: make sure the modem is back at a command prompt and late answers are gone. */
    private void resync() throws IOException {
        log.debug("{}: re-synchronising after an unanswered command", name);
        stale = false;
        if (abandonedPrompt) {
            abandonedPrompt = false;
            write(new byte[] {0x1b}); // ESC ends a pending data prompt, so our AT is not taken as payload
            sleep(Duration.ofMillis(RESYNC_QUIET_MS));
        }
        try {
            resyncProbe();
        } catch (AtException e) {
            log.debug("{}: resync AT answered {}", name, e.answer());
        } catch (AtTimeoutException e) {
            String why = "the modem on " + name + " stopped answering (no reply even to AT)";
            for (Consumer<String> l : unresponsiveListeners) {
                runOnEventThread(() -> l.accept(why));
            }
            throw new AtTimeoutException("AT", why);
        }
        sleep(Duration.ofMillis(RESYNC_QUIET_MS));
    }

    /**
     * One AT, repeated while its answer is garbled: the rest of a flood or an over-long line that made the previous
     * command fail is read through (each attempt takes at most {@link #MAX_RESPONSE_LINES}), within a bound.
     */
    private void resyncProbe() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                exchange(AtCommand.of("AT").build(), RESYNC_TIMEOUT, Cancellation.NONE);
                stale = false; // a garbled attempt before this one marked the line unknown again
                return;
            } catch (AtException | AtTimeoutException | AtCancelledException | LinkLostException e) {
                throw e;
            } catch (ModemException garbled) {
                if (attempt == RESYNC_GARBLED_ATTEMPTS) {
                    throw garbled;
                }
                log.debug("{}: resync AT got a garbled answer, reading on: {}", name, garbled.getMessage());
            }
        }
    }

    private void write(byte[] bytes) throws IOException {
        awaitPayloadWritten();
        writeRaw(bytes);
    }

    /** Waits until a payload the reader has claimed is on the line (or the link is gone). */
    private void awaitPayloadWritten() {
        if (!payloadInFlight) {
            return;
        }
        boolean interrupted = false;
        mon.lock();
        try {
            while (payloadInFlight && lost == null && !closed) {
                try {
                    // bounded: a lost link or a close is noticed without a signal of its own
                    payloadWritten.awaitNanos(SLICE_NANOS);
                } catch (InterruptedException e) {
                    interrupted = true; // the payload goes first all the same; the interrupt is restored after
                }
            }
        } finally {
            mon.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeRaw(byte[] bytes) throws IOException {
        try {
            writeLock.lock();
            try {
                out.write(bytes);
                out.flush();
            } finally {
                writeLock.unlock();
            }
        } catch (IOException e) {
            LinkLostException l = new LinkLostException("cannot write to " + name + ": " + e.getMessage(), e);
            linkLost(l);
            throw l;
        }
    }

    private static void sleep(Duration d) throws AtCancelledException {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtCancelledException("interrupted");
        }
    }

    /** Throws if the link is gone or the engine closed. */
    public void checkAlive() throws ModemException {
        IOException l = lost;
        if (l != null) {
            throw l instanceof ModemException me ? me : new LinkLostException(l.getMessage(), l);
        }
        if (closed) {
            throw new LinkLostException("the modem on " + name + " was closed");
        }
    }

    public boolean isAlive() {
        return lost == null && !closed;
    }

    // ---- reader thread ----

    private void readLoop() {
        byte[] buf = new byte[4096];
        try {
            while (!closed) {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    linkLost(new LinkLostException("the serial link " + name + " was closed"));
                    return;
                }
                parser.feed(buf, 0, n);
            }
        } catch (IOException e) {
            linkLost(new LinkLostException("the serial link " + name + " failed: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            log.error("{}: AT reader crashed", name, e);
            linkLost(new LinkLostException("the AT reader of " + name + " crashed: " + e, e));
        }
    }

    private void linkLost(IOException cause) {
        mon.lock();
        try {
            if (lost != null || closed) {
                return;
            }
            lost = cause;
            changed.signalAll();
        } finally {
            mon.unlock();
        }
        log.warn("{}: {}", name, cause.getMessage());
        for (Consumer<IOException> l : linkLostListeners) {
            runOnEventThread(() -> l.accept(cause));
        }
    }

    private final class ParserEvents implements AtParser.Listener {
        @Override
        public void line(String text, byte[] payload) {
            AtLine l = new AtLine(text, payload);
            if (trace.isDebugEnabled()) {
                trace.debug("{} <- {}{}", name, secrets.redact(Printable.of(text)),
                        payload == null ? "" : " + payload " + Printable.preview(payload, 0, payload.length, 16));
            }
            mon.lock();
            try {
                Pending p = current;
                if (p != null && !p.done && p.bareErrorAt != 0) {
                    p.done = true;
                    changed.signalAll();
                    if (CmeErrors.isDetailedError(text)) {
                        p.finalLine = text; // ERROR followed by its detail line
                        return;
                    }
                }
                if (p != null && !p.done) {
                    if (isEcho(p, text) || toFollowUp(l)) {
                        return;
                    }
                    if (p.cmd.isResponseLine(text)) {
                        collect(p, l);
                        return;
                    }
                    if (dispatchUrc(l)) {
                        return;
                    }
                    if (text.equals("OK") || p.cmd.isExtraFinal(text)) {
                        finish(p, text, false);
                    } else if (text.equals("ERROR")) {
                        p.bareErrorAt = System.nanoTime();
                        p.finalLine = text;
                        p.errorFinal = true;
                        changed.signalAll();
                    } else if (CmeErrors.isErrorFinal(text) || text.equals("NO CARRIER")) {
                        finish(p, text, true);
                    } else {
                        collect(p, l);
                    }
                    return;
                }
            } finally {
                mon.unlock();
            }
            if (!toFollowUp(l) && !dispatchUrc(l)) {
                log.debug("{}: unsolicited line nobody expected: {}", name, Printable.of(text));
            }
        }

        @Override
        public void prompt(char prompt) {
            if (trace.isDebugEnabled()) {
                trace.debug("{} <- prompt '{}'", name, prompt);
            }
            Pending send = null;
            mon.lock();
            try {
                Pending p = current;
                if (p != null && p.cmd.hasPayload()) {
                    p.promptSeen = true;
                    p.promptAt = System.nanoTime();
                    parser.armPrompt("");
                    if (p.readerSendsPayload) {
                        if (!p.abandoned && !p.done && p.bareErrorAt == 0) {
                            p.payloadClaimed = true;
                            payloadInFlight = true; // from here no other write may go before it
                            send = p;
                            if (p.wakeOnClaim) {
                                changed.signalAll(); // a cancel waits for this; the payload still goes out whole
                            }
                        } else {
                            // nobody sends this prompt its payload: the modem waits for one, so the resync ends that
                            abandonedPrompt = true;
                            stale = true;
                        }
                    } else if (p.wantPromptSignal) {
                        changed.signalAll(); // a waiter for a pause sleeps until it is over (see awaitState)
                    }
                }
            } finally {
                mon.unlock();
            }
            if (send != null) {
                // The payload is due at once: the reader writes it, so the waiter sleeps on to the final result and
                // the line waits for no thread to wake. Outside the lock: a slow port must not stall the waiters.
                byte[] data = send.cmd.payload();
                if (trace.isDebugEnabled()) {
                    trace.debug("{} -> payload {}", name, Printable.preview(data, 0, data.length, 16));
                }
                try {
                    writeRaw(data);
                } catch (IOException e) {
                    log.debug("{}: payload of {} not written: {}", name, send.cmd.logText(), e.getMessage());
                    // writeRaw() reported the lost link, which ends the waiter's wait
                } finally {
                    mon.lock();
                    try {
                        payloadInFlight = false;
                        payloadWritten.signalAll();
                    } finally {
                        mon.unlock();
                    }
                }
            }
        }

        @Override
        public void malformed(String description) {
            log.warn("{}: {}", name, description);
            mon.lock();
            try {
                Pending p = current;
                if (p != null && !p.done) {
                    p.failure = new ModemException("garbled answer to " + p.cmd.logText() + ": " + description);
                    p.done = true;
                    stale = true;
                    changed.signalAll();
                }
            } finally {
                mon.unlock();
            }
        }
    }

    /** Adds a line to the command's answer, or fails the command when the answer grows past every real one. */
    private void collect(Pending p, AtLine l) {
        p.lineBytes += l.text().length() + (l.payload() == null ? 0 : l.payload().length);
        if (p.lines.size() >= MAX_RESPONSE_LINES || p.lineBytes > MAX_RESPONSE_BYTES) {
            p.failure = new ModemException("garbled answer to " + p.cmd.logText() + ": more than "
                    + MAX_RESPONSE_LINES + " lines or " + MAX_RESPONSE_BYTES + " bytes without a final result;"
                    + " the modem is flooding the line");
            p.done = true;
            stale = true;
            changed.signalAll();
            return;
        }
        p.lines.add(l);
    }

    /** The command's own echo: the first line equal to the command text, wherever it appears (QUIRKS 1, 9). */
    private boolean isEcho(Pending p, String text) {
        if (!p.echoSeen && text.trim().equalsIgnoreCase(p.cmd.text().trim())) {
            p.echoSeen = true;
            return true;
        }
        return false;
    }

    private void finish(Pending p, String finalLine, boolean error) {
        p.finalLine = finalLine;
        p.errorFinal = error;
        p.done = true;
        changed.signalAll();
    }

    private boolean toFollowUp(AtLine l) {
        for (FollowUp f : followUps) {
            try {
                if (f.offer(l)) {
                    return true;
                }
            } catch (RuntimeException e) {
                log.warn("{}: a follow-up matcher failed on '{}'", name, Printable.of(l.text()), e);
            }
        }
        return false;
    }

    private boolean matches(UrcRoute r, String text) {
        try {
            return r.matcher().test(text);
        } catch (RuntimeException e) {
            log.warn("{}: a URC matcher failed on '{}'", name, Printable.of(text), e);
            return false;
        }
    }

    private boolean dispatchUrc(AtLine l) {
        for (UrcRoute r : recorders) {
            if (matches(r, l.text())) {
                try {
                    r.handler().onUrc(l);
                } catch (Exception e) {
                    log.warn("{}: recording URC '{}' failed", name, Printable.of(l.text()), e);
                }
                return true;
            }
        }
        for (UrcRoute r : urcs) {
            if (matches(r, l.text())) {
                queueUrc(r, l);
                return true;
            }
        }
        return false;
    }

    /** A URC handed to the event thread; {@code started} once its handler runs. */
    private static final class QueuedUrc {
        final String text;
        volatile boolean started;

        QueuedUrc(String text) {
            this.text = text;
        }
    }

    /**
     * Hands a URC to the event thread (reader thread only). A repeat of the URC queued just before it, while that one
     * still waits, is merged into it: its handler has not run yet, so it sees the state this repeat announces. Only
     * back-to-back repeats merge, so the order of different URCs (a close, a connect, a close) is kept.
     */
    private void queueUrc(UrcRoute r, AtLine l) {
        String text = l.text();
        if (l.hasPayload()) {
            // Pushed socket data: never merged nor dropped (that would lose data); the socket's own receive limit
            // bounds what a flood of it can hold.
            runOnEventThread(() -> handleUrc(r, l));
            return;
        }
        QueuedUrc last = lastQueued;
        if (last != null && !last.started && last.text.equals(text)) {
            urcsMerged.incrementAndGet();
            return;
        }
        if (pendingUrcs.get() >= MAX_PENDING_URCS) {
            urcsDropped.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastDropWarning > TimeUnit.SECONDS.toNanos(1)) {
                lastDropWarning = now;
                log.warn("{}: the modem sends URCs faster than they are handled ({} waiting): '{}' dropped ({} so far)",
                        name, MAX_PENDING_URCS, Printable.of(text), urcsDropped.get());
            }
            return;
        }
        QueuedUrc q = new QueuedUrc(text);
        lastQueued = q;
        pendingUrcs.incrementAndGet();
        runOnEventThread(() -> {
            q.started = true;
            pendingUrcs.decrementAndGet();
            handleUrc(r, l);
        });
    }

    /** URCs queued for the event thread whose handling has not started. */
    public int pendingUrcCount() {
        return pendingUrcs.get();
    }

    /** URCs merged into an identical one that was still waiting, and URCs dropped because too many were waiting. */
    public long[] urcsMergedAndDropped() {
        return new long[] {urcsMerged.get(), urcsDropped.get()};
    }

    private void handleUrc(UrcRoute r, AtLine l) {
        try {
            r.handler().onUrc(l);
        } catch (Exception e) {
            log.warn("{}: handling URC '{}' failed", name, Printable.of(l.text()), e);
        }
    }

    /** Stops the threads and closes the link. Commands waiting now fail with {@link LinkLostException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        mon.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            mon.unlock();
        }
        try {
            link.close();
        } catch (IOException e) {
            log.debug("{}: closing the link: {}", name, e.getMessage());
        }
        events.shutdown();
        try {
            reader.join(1000);
            if (!events.awaitTermination(1, TimeUnit.SECONDS)) {
                events.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

