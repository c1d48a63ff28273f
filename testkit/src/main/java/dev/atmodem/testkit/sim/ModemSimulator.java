package dev.atmodem.testkit.sim;

import dev.atmodem.link.PipeLink;
import dev.atmodem.link.SerialLink;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated AT modem: one {@link Dialect} on top of a dialect-independent framework, attached to the modem side of a
 * {@link SerialLink}. Its sockets are real TCP connections restricted to 127.0.0.0/8, its DNS is a {@link NameTable}.
 *
 * <pre>{@code
 * try (ModemSimulator sim = ModemSimulator.builder("bg96").baud(115200).rttMillis(100).build()) {
 *     SerialLink host = sim.connectPipe();        // give this to the code under test
 *     sim.names().put("broker.test", "127.0.0.1");
 *     sim.faults().failNextSends(2);
 *     ... sim.stats().bytesToHost() ...
 * }
 * }</pre>
 *
 * <p>Threads (all daemon): one reads the host, one writes to it, one runs timers, and a pool does blocking network
 * work (a reader and a writer per open socket). {@link #close()} stops them all and closes every network socket.
 */
public final class ModemSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModemSimulator.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final int MAX_NETWORK_THREADS = 64;

    private final Object lock = new Object();
    private final Dialect dialect;
    private final LinkConditions conditions;
    private final SimOptions options;
    private final NameTable names = new NameTable();
    private final Stats stats = new Stats();
    private final Faults faults = new Faults(this);
    private final ScheduledThreadPoolExecutor timers;
    private final ExecutorService io;
    private final ModemContext context;
    private final String id;
    private final java.util.Random garbage;
    private volatile boolean closed;
    private volatile boolean closeWhenHostGone;
    private SerialLink link;
    private HostOutput output;
    private CommandProcessor processor;
    private final java.util.List<Thread> lineThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ModemSimulator(Builder b) {
        this.dialect = b.dialect;
        this.conditions = b.conditions;
        this.options = b.options;
        this.id = dialect.name() + "-sim-" + INSTANCES.incrementAndGet();
        this.timers = new ScheduledThreadPoolExecutor(1, daemon(id + "-timer"));
        this.timers.setRemoveOnCancelPolicy(true);
        // bounded: two threads per open socket plus connects in progress; more than any dialect's socket count needs
        this.io = new ThreadPoolExecutor(0, MAX_NETWORK_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon(id + "-net"));
        this.garbage = new java.util.Random(conditions.seed() * 31 + 7);
        this.context = new ModemContext(this, lock, timers, io, conditions.seed());
        synchronized (lock) {
            dialect.bind(context);
            context.cmeeMode(dialect.defaultCmeeMode());
        }
    }

    public static Builder builder(String dialect) {
        return new Builder(Dialects.create(dialect));
    }

    public static Builder builder(Dialect dialect) {
        return new Builder(dialect);
    }

    /** Builds a simulator; nothing runs until it is attached to a link. */
    public static final class Builder {
        private final Dialect dialect;
        private LinkConditions conditions = LinkConditions.ideal();
        private SimOptions options = SimOptions.defaults();

        private Builder(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect);
        }

        public Builder conditions(LinkConditions c) {
            this.conditions = Objects.requireNonNull(c);
            return this;
        }

        public Builder baud(int baud) {
            conditions = conditions.withBaud(baud);
            return this;
        }

        public Builder rttMillis(int rtt) {
            conditions = conditions.withRttMillis(rtt);
            return this;
        }

        /** Cuts the modem's output into random pieces of {@code min..max} bytes. */
        public Builder fragmentation(int min, int max) {
            conditions = conditions.withFragmentation(min, max);
            return this;
        }

        public Builder seed(long seed) {
            conditions = conditions.withSeed(seed);
            return this;
        }

        public Builder options(SimOptions o) {
            this.options = Objects.requireNonNull(o);
            return this;
        }

        /** The Wi-Fi access point in range (Wi-Fi dialects); null or empty passphrase = open network. */
        public Builder accessPoint(String ssid, String passphrase) {
            options = options.accessPoint(ssid, passphrase);
            return this;
        }

        /** Starts with the SIM locked by this PIN. */
        public Builder pin(String pin) {
            options = options.withPin(pin);
            return this;
        }

        public ModemSimulator build() {
            return new ModemSimulator(this);
        }
    }

    /** Creates an in-memory link, attaches the modem side, and returns the host side. */
    public SerialLink connectPipe() {
        PipeLink.Pair pair = PipeLink.pair(id);
        pair.host().declareBaud(conditions.baud());   // the host side knows its line's rate, as a serial port does
        attach(pair.modem());
        return pair.host();
    }

    /** Attaches the modem to the modem side of a link and powers it on (banner, echo on). One link at a time. */
    public void attach(SerialLink modemSide) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("simulator is closed");
            }
            if (link != null) {
                throw new IllegalStateException("simulator is already attached to " + link.name());
            }
            try {
                link = modemSide;
                output = new HostOutput(modemSide.output(), conditions, faults, stats);
                processor = new CommandProcessor(this, modemSide.input(), conditions.baud());
            } catch (IOException e) {
                link = null;
                throw new IllegalStateException("cannot use link " + modemSide.name() + ": " + e.getMessage(), e);
            }
            startThread(output, id + "-tx");
            startThread(processor, id + "-rx");
            context.echo(true);
            dialect.powerOn();
        }
    }

    public String dialectName() {
        return dialect.name();
    }

    public Faults faults() {
        return faults;
    }

    public NameTable names() {
        return names;
    }

    public Stats stats() {
        return stats;
    }

    public LinkConditions conditions() {
        return conditions;
    }

    public SimOptions options() {
        return options;
    }

    /** The dialect instance, for dialect-specific controls (e.g. {@code (Bg96Dialect) sim.dialect()}). */
    public Dialect dialect() {
        return dialect;
    }

    /** Runs {@code action} on the dialect under the simulator lock, e.g. to change signal quality mid-test. */
    public <D extends Dialect> void control(Class<D> type, java.util.function.Consumer<D> action) {
        synchronized (lock) {
            action.accept(type.cast(dialect));
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        SerialLink l;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            dialect.powerOff();
            l = link;
            if (output != null) {
                output.close();
            }
        }
        context.closeAllConnections();
        timers.shutdownNow();
        io.shutdownNow();
        for (Thread t : lineThreads) {
            if (t != Thread.currentThread()) {
                t.interrupt();   // wakes a writer held by a silence fault or a reader blocked on the link
            }
        }
        if (l != null) {
            try {
                l.close();
            } catch (IOException e) {
                log.debug("closing {}: {}", l.name(), e.toString());
            }
        }
        try {
            if (!io.awaitTermination(2, TimeUnit.SECONDS)) {
                log.warn("{}: network threads still running after close", id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- framework internals ----

    Object lock() {
        return lock;
    }

    ModemContext context() {
        return context;
    }

    /**
     * Queues a data prompt; {@code onLastPiece} runs just before its last byte goes onto the line, so that a prompt
     * guard measured from it never starts after the host could have seen the prompt.
     */
    void emitPrompt(byte[] bytes, Runnable onLastPiece) {
        HostOutput o = output;
        if (o != null) {
            o.emit(bytes, null, onLastPiece);
        } else if (onLastPiece != null) {
            onLastPiece.run();
        }
    }

    void emit(byte[] bytes, Runnable afterWritten) {
        emit(bytes, null, afterWritten);
    }

    /** Queues bytes for the host; {@code onLastByte} runs just before their last byte goes on the wire. */
    void emit(byte[] bytes, Runnable onLastByte, Runnable afterWritten) {
        HostOutput o = output;
        if (o != null) {
            o.emit(bytes, onLastByte, afterWritten);
        } else {
            if (onLastByte != null) {
                onLastByte.run();
            }
            if (afterWritten != null) {
                afterWritten.run();
            }
        }
    }

    /** AT text (an answer, or a URC when {@code event}) wrapped for the current host mode. */
    void emitAt(byte[] text, boolean event) {
        switch (context.hostMode()) {
            case COMMAND -> emit(text, null);
            case EDM -> {
                HostFraming f = context.framing();
                if (f != null) {
                    emit(event ? f.event(text) : f.response(text), null);
                }
            }
            case RAW -> log.debug("{}: raw mode; AT text not sent: {}", id,
                    dev.atmodem.link.Printable.of(text, 0, text.length));
        }
    }

    /** The verbose or numeric CME error text per the current {@code AT+CMEE} mode. */
    String formatCme(int code) {
        return switch (context.cmeeMode()) {
            case 0 -> "ERROR";
            case 1 -> "+CME ERROR: " + code;
            default -> {
                String t = dialect.errorText(code);
                if (t == null) {
                    t = CmeErrors.text(code);
                }
                yield "+CME ERROR: " + (t == null ? Integer.toString(code) : t);
            }
        };
    }

    void rebootLocked(boolean withGarbage) {
        log.debug("{} reboots", id);
        dialect.powerOff();
        faults.clear();
        if (processor != null) {
            processor.requestReset();
        }
        if (withGarbage) {
            byte[] noise = new byte[2 + garbage.nextInt(6)];
            for (int i = 0; i < noise.length; i++) {
                int r = garbage.nextInt(4);
                noise[i] = (byte) (r == 0 ? 0x00 : r == 1 ? 0xFF : 0x80 + garbage.nextInt(0x7F));
            }
            emit(noise, null);
        }
        context.commandMode();
        context.echo(true);
        context.cmeeMode(dialect.defaultCmeeMode());
        dialect.powerOn();
    }

    void hostGone() {
        log.debug("{}: host side closed", id);
        if (closeWhenHostGone) {
            close();
        }
    }

    /** Closes the simulator once the host side of its link ends (one simulator per TCP connection). */
    public ModemSimulator closeWhenHostGone() {
        closeWhenHostGone = true;
        return this;
    }

    private void startThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        lineThreads.add(t);
        t.start();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
