package dev.atmodem.testkit.sim;

import java.time.Clock;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link Dialect} may use: output to the host, timers, the network, the name table, statistics, faults and the
 * session settings (echo, CMEE) that the framework owns. One per simulator.
 */
public final class ModemContext {

    private static final Logger log = LoggerFactory.getLogger(ModemContext.class);

    private final ModemSimulator sim;
    private final Object lock;
    private final ScheduledExecutorService timers;
    private final ExecutorService io;
    private final Random random;
    private volatile boolean echo = true;
    private volatile int cmeeMode;
    private volatile long busyUntilNanos;
    private volatile HostMode hostMode = HostMode.COMMAND;
    private volatile HostFraming framing;
    private volatile java.util.function.Consumer<byte[]> rawInput;
    private final java.util.Set<SimConnection> live = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ModemContext(ModemSimulator sim, Object lock, ScheduledExecutorService timers, ExecutorService io, long seed) {
        this.sim = sim;
        this.lock = lock;
        this.timers = timers;
        this.io = io;
        this.random = new Random(seed);
    }

    void track(SimConnection c) {
        live.add(c);
        if (sim.isClosed()) {
            c.close();
        }
    }

    void untrack(SimConnection c) {
        live.remove(c);
    }

    /** Closes every network connection (simulator close). */
    void closeAllConnections() {
        for (SimConnection c : java.util.List.copyOf(live)) {
            c.close();
        }
    }

    /** The simulator lock; dialect methods already hold it. */
    public Object lock() {
        return lock;
    }

    /**
     * Emits an unsolicited line, framed {@code \r\n<text>\r\n}; in {@link HostMode#EDM} wrapped as an event frame,
     * in {@link HostMode#RAW} not at all.
     */
    public void urc(String text) {
        if (sim.faults().takeUrcDrop(text)) {
            log.debug("fault: dropping URC {}", text);
            return;
        }
        sim.emitAt(Reply.frame(text), true);
    }

    /**
     * Emits AT answer text that completes outside a {@link Reply} (a late final result), wrapped for the current
     * {@link HostMode} like a {@link Reply}'s parts.
     */
    public void answer(byte[] text) {
        sim.emitAt(text, false);
    }

    // ---- host modes (what the serial line carries) ----

    public HostMode hostMode() {
        return hostMode;
    }

    /** Back to AT command lines (also what every power-on does). */
    public void commandMode() {
        hostMode = HostMode.COMMAND;
        framing = null;
        rawInput = null;
    }

    /**
     * From the next host byte on, the line carries frames: {@code f} parses the host's bytes and wraps every AT answer
     * and URC. Call it from a {@link Reply#then} action so the answer that switches (e.g. {@code OK} to {@code ATO2})
     * still goes out as plain text.
     */
    public void framedMode(HostFraming f) {
        framing = java.util.Objects.requireNonNull(f);
        rawInput = null;
        hostMode = HostMode.EDM;
    }

    /**
     * From the next host byte on, the line carries raw bytes (e.g. PPP): they go to {@code input} (on the input
     * thread, without the lock) and AT answers and URCs are suppressed; the dialect sends with {@link #emit(byte[])}.
     */
    public void rawMode(java.util.function.Consumer<byte[]> input) {
        rawInput = java.util.Objects.requireNonNull(input);
        framing = null;
        hostMode = HostMode.RAW;
    }

    HostFraming framing() {
        return framing;
    }

    java.util.function.Consumer<byte[]> rawInput() {
        return rawInput;
    }

    /** Queues bytes for the host. */
    public void emit(byte[] bytes) {
        emit(bytes, null);
    }

    /**
     * Queues a header, its length-framed payload and an optional trailer as one unit, so that nothing another thread
     * emits (a prompt, a URC) can land between a header and its data: the host frames the payload by length alone.
     */
    public void emitFramed(byte[] header, byte[] payload, byte[] trailer, Runnable afterWritten) {
        byte[] all = new byte[header.length + payload.length + trailer.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(payload, 0, all, header.length, payload.length);
        System.arraycopy(trailer, 0, all, header.length + payload.length, trailer.length);
        emit(all, afterWritten);
    }

    /** Queues bytes for the host; {@code afterWritten} runs (without the lock) once they are on the wire. */
    public void emit(byte[] bytes, Runnable afterWritten) {
        sim.emit(bytes, afterWritten);
    }

    /** Runs {@code task} under the lock after {@code millis} (0 = as soon as possible, in submission order). */
    public void schedule(long millis, Runnable task) {
        try {
            timers.schedule(() -> runLocked(task), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("simulator closed; dropping a scheduled task: {}", e.toString());
        }
    }

    /** Runs blocking work (connects, socket reads and writes) off the lock, on the simulator's daemon pool. */
    public void runBlocking(Runnable task) {
        io.execute(task);
    }

    void runLocked(Runnable task) {
        synchronized (lock) {
            if (sim.isClosed()) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("simulator task failed", e);
            }
        }
    }

    public LinkConditions conditions() {
        return sim.conditions();
    }

    public NameTable names() {
        return sim.names();
    }

    public Stats stats() {
        return sim.stats();
    }

    public Faults faults() {
        return sim.faults();
    }

    public SimOptions options() {
        return sim.options();
    }

    public Clock clock() {
        return sim.options().clock();
    }

    /** Seeded randomness for anything a dialect makes up. Use under the lock. */
    public Random random() {
        return random;
    }

    public boolean echo() {
        return echo;
    }

    public void echo(boolean on) {
        echo = on;
    }

    public int cmeeMode() {
        return cmeeMode;
    }

    public void cmeeMode(int mode) {
        cmeeMode = mode;
    }

    /** The modem ignores input until then (booting). */
    public void busyFor(long millis) {
        busyUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    public void ready() {
        busyUntilNanos = 0;
    }

    boolean busy() {
        long until = busyUntilNanos;
        return until != 0 && System.nanoTime() - until < 0;
    }

    /** Power-cycles the modem (e.g. {@code AT+CFUN=1,1}); same as the reboot fault minus the garbage bytes. */
    public void reboot() {
        sim.rebootLocked(false);
    }
}
