package dev.atmodem.testkit.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What crossed the simulated modem: serial bytes each way, commands by name, and network bytes per socket id. */
public final class Stats {

    /** Network bytes of one socket id (summed over every socket that used the id). */
    public record SocketBytes(long sent, long received) {
    }

    private final LongAdder fromHost = new LongAdder();
    private final LongAdder toHost = new LongAdder();
    private final Map<String, LongAdder> commands = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong[]> sockets = new ConcurrentHashMap<>();
    private final LongAdder heldBack = new LongAdder();

    /** Serial bytes the host wrote to the modem. */
    public long bytesFromHost() {
        return fromHost.sum();
    }

    /** Serial bytes the modem wrote to the host. */
    public long bytesToHost() {
        return toHost.sum();
    }

    /** How many times each command ran, keyed by name as typed without arguments, e.g. {@code AT+QISEND}, {@code ATE}. */
    public Map<String, Long> commands() {
        Map<String, Long> copy = new TreeMap<>();
        commands.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public long commandCount(String name) {
        LongAdder a = commands.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Network bytes per socket id: sent = host to the peer, received = peer to the modem. */
    public Map<Integer, SocketBytes> sockets() {
        Map<Integer, SocketBytes> copy = new TreeMap<>();
        sockets.forEach((k, v) -> copy.put(k, new SocketBytes(v[0].get(), v[1].get())));
        return copy;
    }

    public SocketBytes socket(int id) {
        AtomicLong[] v = sockets.get(id);
        return v == null ? new SocketBytes(0, 0) : new SocketBytes(v[0].get(), v[1].get());
    }

    void addFromHost(int n) {
        fromHost.add(n);
    }

    void addToHost(int n) {
        toHost.add(n);
    }

    void countCommand(String name) {
        commands.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** Dialects report socket traffic here. */
    public void addSocketSent(int id, long n) {
        socketCounters(id)[0].addAndGet(n);
    }

    public void addSocketReceived(int id, long n) {
        socketCounters(id)[1].addAndGet(n);
    }

    /**
     * How many times the modem stopped taking the host's bytes because a socket's send buffer was full (flow control
     * in a framed data mode, where a send cannot be refused).
     */
    public long hostHeldBack() {
        return heldBack.sum();
    }

    void countHeldBack() {
        heldBack.increment();
    }

    private AtomicLong[] socketCounters(int id) {
        return sockets.computeIfAbsent(id, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    }

    @Override
    public String toString() {
        return "serial from host " + bytesFromHost() + " B, to host " + bytesToHost() + " B, commands " + commands()
                + ", sockets " + sockets();
    }
}
