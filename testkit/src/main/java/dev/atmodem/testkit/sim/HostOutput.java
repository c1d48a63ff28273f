package dev.atmodem.testkit.sim;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modem's transmit side: one thread takes queued output in order, cuts it into pieces (random sizes when
 * fragmentation is on, a few milliseconds of line time otherwise), holds it during a silence fault, paces it to the
 * baud rate and writes it. Producers never block, so nobody waits on the host while holding the simulator lock.
 */
final class HostOutput implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(HostOutput.class);

    /** {@code onLastPiece} runs just before the chunk's last piece is written: the host cannot have seen it yet. */
    private record Chunk(byte[] bytes, Runnable afterWritten, Runnable onLastPiece) {
    }

    private final OutputStream out;
    private final Pacer pacer;
    private final LinkConditions conditions;
    private final Random random;
    private final Faults faults;
    private final Stats stats;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private boolean closed;

    HostOutput(OutputStream out, LinkConditions conditions, Faults faults, Stats stats) {
        this.out = out;
        this.conditions = conditions;
        this.pacer = new Pacer(conditions.baud());
        this.random = new Random(conditions.seed() ^ 0x5DEECE66DL);
        this.faults = faults;
        this.stats = stats;
    }

    synchronized void emit(byte[] bytes, Runnable afterWritten) {
        emit(bytes, afterWritten, null);
    }

    synchronized void emit(byte[] bytes, Runnable afterWritten, Runnable onLastPiece) {
        if (closed) {
            return;
        }
        queue.addLast(new Chunk(bytes, afterWritten, onLastPiece));
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        queue.clear();
        notifyAll();
    }

    private synchronized Chunk take() throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        return closed ? null : queue.removeFirst();
    }

    @Override
    public void run() {
        try {
            Chunk c;
            while ((c = take()) != null) {
                write(c.bytes(), c.onLastPiece());
                if (c.afterWritten() != null) {
                    c.afterWritten().run();
                }
            }
        } catch (InterruptedException | InterruptedIOException e) {
            Thread.currentThread().interrupt();
            log.debug("simulator output stopped: {}", e.toString());
        } catch (IOException e) {
            log.debug("host side of the simulated line is gone: {}", e.toString());
        }
    }

    private void write(byte[] b, Runnable onLastPiece) throws IOException, InterruptedException {
        int off = 0;
        while (off < b.length) {
            int n = Math.min(b.length - off, nextPieceSize());
            faults.awaitSilenceEnd();
            pacer.pace(n);
            if (onLastPiece != null && off + n == b.length) {
                onLastPiece.run();
            }
            // Counted before the write: a host that has read the bytes must find them counted (statistics tests).
            stats.addToHost(n);
            out.write(b, off, n);
            out.flush();
            off += n;
        }
    }

    private int nextPieceSize() {
        if (conditions.fragmentMax() > 0) {
            int span = conditions.fragmentMax() - conditions.fragmentMin() + 1;
            return conditions.fragmentMin() + random.nextInt(span);
        }
        return pacer.isPaced() ? pacer.bytesIn(5) : Integer.MAX_VALUE;
    }
}
