package dev.atmodem.testkit.sim;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Faults a test can inject at any time, from any thread. Each one is observable in the byte stream the host reads.
 */
public final class Faults {

    private final ModemSimulator sim;
    private final AtomicInteger sendFailures = new AtomicInteger();
    private volatile long silentUntilNanos;
    private volatile CmeRule cmeRule;
    private volatile String lateUrc;
    private volatile Pattern urcDrop;

    record CmeRule(Pattern pattern, int code) {
    }

    Faults(ModemSimulator sim) {
        this.sim = sim;
    }

    /** Power-cycles the modem: a burst of garbage bytes, the boot banner, echo back on, sockets and context gone. */
    public void reboot() {
        synchronized (sim.lock()) {
            sim.rebootLocked(true);
        }
    }

    /** The network drops the data bearer under the open sockets (BG96: {@code +QIURC: "pdpdeact",1}). */
    public void bearerLoss() {
        synchronized (sim.lock()) {
            sim.dialect().bearerLoss();
        }
    }

    /** The peer of socket {@code id} closes its end. Throws if there is no such open socket. */
    public void remoteClose(int id) {
        synchronized (sim.lock()) {
            if (!sim.dialect().remoteClose(id)) {
                throw new IllegalStateException("no connected socket " + id + " to close");
            }
        }
    }

    /** The next {@code n} sends fail as if the modem's send buffer were full (BG96: {@code SEND FAIL}). */
    public void failNextSends(int n) {
        sendFailures.set(n);
    }

    /** The modem neither answers nor listens for {@code millis}: input is dropped, output is held back. */
    public void silence(long millis) {
        silentUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /**
     * The next command whose line matches {@code regex} (e.g. {@code AT\+QIACT=.*}) fails with CME error {@code code},
     * formatted per the current CMEE mode, without running.
     */
    public void cmeErrorOnNext(String regex, int code) {
        cmeRule = new CmeRule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), code);
    }

    /** The URC {@code text} arrives inside the next command's response, between its echo and its answer. */
    public void lateUrcInNextResponse(String text) {
        lateUrc = text;
    }

    /**
     * The next URC matching {@code regex} (e.g. {@code \+QIURC: "recv",0}) is lost, as edge-triggered data-ready
     * URCs can be in practice (QUIRKS 11): a driver must still find the data by polling.
     */
    public void dropNextUrc(String regex) {
        urcDrop = Pattern.compile(regex);
    }

    /**
     * The modem sends the unsolicited line {@code text} now (framed {@code \r\n<text>\r\n}), wherever the output
     * stream is: between responses, inside a command's answer, between a prompt and the host's payload, as network
     * and status URCs do (QUIRKS 9). It never lands inside a binary payload, which a modem emits in one piece.
     * The text must not contain CR or LF.
     */
    public void unsolicitedLine(String text) {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an unsolicited line has no CR or LF in it: " + text);
        }
        synchronized (sim.lock()) {
            sim.context().urc(text);
        }
    }

    /** For dialects: consumes one injected send failure, if any is pending. */
    public boolean takeSendFailure() {
        return sendFailures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    boolean silent() {
        long until = silentUntilNanos;
        return until != 0 && System.nanoTime() - until < 0;
    }

    void awaitSilenceEnd() throws InterruptedException {
        while (true) {
            long left = silentUntilNanos - System.nanoTime();
            if (silentUntilNanos == 0 || left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    synchronized Integer takeCmeFor(String line) {
        CmeRule r = cmeRule;
        if (r != null && r.pattern().matcher(line).matches()) {
            cmeRule = null;
            return r.code();
        }
        return null;
    }

    synchronized boolean takeUrcDrop(String urc) {
        Pattern p = urcDrop;
        if (p != null && p.matcher(urc).matches()) {
            urcDrop = null;
            return true;
        }
        return false;
    }

    synchronized String takeLateUrc() {
        String u = lateUrc;
        lateUrc = null;
        return u;
    }

    synchronized void clear() {
        sendFailures.set(0);
        cmeRule = null;
        lateUrc = null;
        urcDrop = null;
        silentUntilNanos = 0;
    }
}
