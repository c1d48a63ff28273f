package dev.atmodem.testkit.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modem's receive side: reads the host's bytes at line rate, splits them into command lines (ended by {@code \r};
 * the {@code \n} of a {@code \r\n} is dropped), echoes, runs the dialect, and after a prompt reads the payload exactly
 * as the prompt's {@link PayloadSpec} says. Its own simple reader, independent of modem-api's host-side parser.
 */
final class CommandProcessor implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);
    private static final int MAX_LINE = 4096;

    private final ModemSimulator sim;
    private final InputStream in;
    private final Pacer pacer;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private PayloadSpec payloadSpec;
    private Reply.PayloadHandler payloadHandler;
    private long payloadGuardNanos;
    /** When the last prompt's final byte went out on the wire (set by the output thread); 0 = not yet. */
    private volatile long promptWrittenNanos;
    private volatile boolean resetRequested;

    CommandProcessor(ModemSimulator sim, InputStream in, int baud) {
        this.sim = sim;
        this.in = in;
        this.pacer = new Pacer(baud);
    }

    /** A reboot forgets a half-typed line and any payload in progress. */
    void requestReset() {
        resetRequested = true;
    }

    @Override
    public void run() {
        // Read in slices of about 5 ms of line time so pacing stays smooth.
        byte[] buf = new byte[Math.min(4096, pacer.bytesIn(5))];
        try {
            while (!sim.isClosed()) {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    break;
                }
                pacer.pace(n);
                sim.stats().addFromHost(n);
                if (sim.faults().silent() || sim.context().busy()) {
                    continue;   // a silent or booting modem does not hear the host
                }
                for (int i = 0; i < n; i++) {
                    accept(buf[i]);
                }
            }
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            log.debug("simulator input stopped: {}", e.toString());
        } catch (IOException e) {
            log.debug("host side of the simulated line is gone: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.debug("simulator input interrupted");
        }
        sim.hostGone();
    }

    private void accept(byte b) throws InterruptedException {
        if (resetRequested) {
            resetRequested = false;
            line.reset();
            payload.reset();
            payloadSpec = null;
            payloadHandler = null;
            payloadGuardNanos = 0;
        }
        if (payloadSpec != null) {
            if (payloadGuardNanos > 0 && tooEarly()) {
                log.debug("payload byte before the prompt guard elapsed: lost");
                return;
            }
            acceptPayload(b);
            return;
        }
        switch (b) {
            case '\r' -> {
                byte[] raw = line.toByteArray();
                line.reset();
                if (raw.length > 0) {
                    dispatch(raw);
                }
            }
            case '\n' -> {
                // the LF of a CRLF terminator, or a stray one: modems ignore it
            }
            case PayloadSpec.CTRL_Z, PayloadSpec.ESC -> {
                // tolerated when no payload is expected, e.g. the extra Ctrl+Z some drivers send after a fixed-length
                // QISEND (AT-REFERENCE §1B emulator note; what real firmware does with it is UNCONFIRMED)
                if (line.size() > 0) {
                    line.write(b);
                }
            }
            case 0x08 -> {
                byte[] cur = line.toByteArray();
                line.reset();
                line.write(cur, 0, Math.max(0, cur.length - 1));
            }
            default -> {
                if (line.size() == 0 && b != 'A' && b != 'a') {
                    return;   // noise before a command: a modem waits for "AT"
                }
                if (line.size() < MAX_LINE) {
                    line.write(b);
                }
            }
        }
    }

    /** True while the prompt is not on the wire yet or its guard time has not passed. */
    private boolean tooEarly() {
        long written = promptWrittenNanos;
        return written == 0 || System.nanoTime() - written < payloadGuardNanos;
    }

    private void acceptPayload(byte b) throws InterruptedException {
        PayloadSpec spec = payloadSpec;
        boolean done;
        boolean cancelled = false;
        if (spec.fixedLength()) {
            payload.write(b);
            done = payload.size() >= spec.length();
        } else if (b == PayloadSpec.CTRL_Z) {
            done = true;
        } else if (b == PayloadSpec.ESC) {
            done = true;
            cancelled = true;
        } else {
            payload.write(b);
            done = payload.size() >= spec.max();
        }
        if (done) {
            byte[] data = payload.toByteArray();
            payload.reset();
            Reply.PayloadHandler handler = payloadHandler;
            payloadSpec = null;
            payloadHandler = null;
            boolean cancel = cancelled;
            answer(r -> handler.payload(data, cancel, r));
        }
    }

    private void dispatch(byte[] raw) throws InterruptedException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        AtCommand cmd;
        try {
            cmd = AtCommand.parse(text);
        } catch (AtCommand.BadCommandException e) {
            cmd = null;
        }
        if (sim.context().echo()) {
            byte[] echo = new byte[raw.length + 1];
            System.arraycopy(raw, 0, echo, 0, raw.length);
            echo[raw.length] = '\r';
            sim.emit(echo, null);
        }
        if (cmd == null) {
            log.debug("ignoring a line that is not a command: {}", text);
            if (text.length() >= 2 && text.substring(0, 2).equalsIgnoreCase("AT")) {
                sim.emit(Reply.frame("ERROR"), null);
            }
            return;
        }
        sim.stats().countCommand(cmd.statsKey());
        String late = sim.faults().takeLateUrc();
        if (late != null) {
            sim.emit(Reply.frame(late), null);
        }
        Integer injected = sim.faults().takeCmeFor(text);
        AtCommand command = cmd;
        answer(r -> {
            if (injected != null) {
                r.cmeError(injected);
            } else {
                sim.dialect().handle(command, r);
            }
        });
    }

    /**
     * Writes a reply. The parts up to the first pause are queued while the lock is still held (the caller holds it),
     * so no URC can overtake an immediate answer (e.g. an echo peer's data before {@code SEND OK}); after a pause the
     * lock is released and URCs may land inside the answer, as on real modems.
     */
    private int performLocked(Reply reply) {
        List<Reply.Part> parts = reply.parts();
        int i = 0;
        for (; i < parts.size(); i++) {
            Reply.Part p = parts.get(i);
            if (p instanceof Reply.Pause) {
                break;
            }
            emitPart(p);
        }
        return i;
    }

    private void performRest(Reply reply, int from) throws InterruptedException {
        List<Reply.Part> parts = reply.parts();
        for (int i = from; i < parts.size(); i++) {
            Reply.Part p = parts.get(i);
            if (p instanceof Reply.Pause pause) {
                Thread.sleep(pause.millis());
            } else {
                synchronized (sim.lock()) {
                    emitPart(p);
                }
            }
        }
        if (reply.payloadSpec() != null) {
            payloadGuardNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(reply.promptGuardMillis());
            promptWrittenNanos = 0;
            // The guard counts from the moment the prompt goes on the wire, as on the modem: stamping it after our write
            // returned let a host that waited the full guard after seeing the prompt lose its first payload bytes.
            sim.emit(reply.promptBytes(), payloadGuardNanos > 0 ? () -> promptWrittenNanos = System.nanoTime() : null,
                    null);
            payloadSpec = reply.payloadSpec();
            payloadHandler = reply.payloadHandler();
            if (payloadSpec.fixedLength() && payloadSpec.length() == 0) {
                acceptPayloadComplete();
            }
        }
    }

    private void emitPart(Reply.Part p) {
        if (p instanceof Reply.Bytes b) {
            sim.emit(b.bytes(), null);
        } else if (p instanceof Reply.Cme c) {
            sim.emit(Reply.frame(sim.formatCme(c.code())), null);
        } else if (p instanceof Reply.Action a) {
            if (!sim.isClosed()) {
                a.action().run();
            }
        }
    }

    /** Runs a handler under the lock, queues the immediate part of its reply, then the rest. */
    private void answer(java.util.function.Consumer<Reply> handler) throws InterruptedException {
        Reply reply = new Reply();
        int done;
        synchronized (sim.lock()) {
            try {
                handler.accept(reply);
            } catch (AtCommand.BadCommandException e) {
                log.debug("bad command: {}", e.getMessage());
                reply = new Reply().error();
            } catch (RuntimeException e) {
                log.warn("the simulated modem failed on a command; answering ERROR", e);
                reply = new Reply().error();
            }
            done = performLocked(reply);
        }
        performRest(reply, done);
    }

    private void acceptPayloadComplete() throws InterruptedException {
        // a zero-length payload is complete at once; reuse the normal path with no byte
        Reply.PayloadHandler handler = payloadHandler;
        payloadSpec = null;
        payloadHandler = null;
        answer(r -> handler.payload(new byte[0], false, r));
    }
}
