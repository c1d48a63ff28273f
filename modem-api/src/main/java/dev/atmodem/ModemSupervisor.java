package dev.atmodem;

import dev.atmodem.at.AtCommand;
import dev.atmodem.at.AtEngine;
import dev.atmodem.at.AtException;
import dev.atmodem.at.AtTimeoutException;
import dev.atmodem.socket.SocketEngine;
import dev.atmodem.spi.DriverSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an open modem usable: when the driver reports a reboot or a lost data connection, or the engine finds the
 * modem silent, every socket has already failed; the supervisor then brings the modem back (answering AT, echo off,
 * the driver's {@link DriverSession#recover()}) on a short-lived thread, with back-off between attempts, and tells
 * the listeners each state change. A lost link cannot be recovered in place: the application opens the modem again.
 */
final class ModemSupervisor {

    private static final Logger log = LoggerFactory.getLogger(ModemSupervisor.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final AtEngine at;
    private final SocketEngine sockets;
    private final DriverSession session;
    private final ModemOptions options;
    private final List<ModemListener> listeners = new CopyOnWriteArrayList<>();
    private ModemState state = ModemState.READY;
    private String reason = "opened";
    private boolean again;

    ModemSupervisor(AtEngine at, SocketEngine sockets, DriverSession session, ModemOptions options) {
        this.at = at;
        this.sockets = sockets;
        this.session = session;
        this.options = options;
        sockets.onDown(why -> down(why, true));
        // A silent modem found while recovering is what the recovery is already probing for: no second pass.
        at.onUnresponsive(why -> down(why, false));
        at.onLinkLost(e -> transition(ModemState.LINK_LOST, e.getMessage()));
    }

    void addListener(ModemListener l) {
        listeners.add(l);
    }

    synchronized ModemState state() {
        return state;
    }

    synchronized String reason() {
        return reason;
    }

    /** Waits until the modem is READY; throws if it is lost or closed, or the wait times out. */
    synchronized void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (state != ModemState.READY) {
            if (state == ModemState.LINK_LOST || state == ModemState.CLOSED || state == ModemState.FAILED) {
                throw new LinkLostException("the modem is " + state.name().toLowerCase().replace('_', ' ') + ": "
                        + reason);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ModemException("the modem is not ready after " + timeout.toSeconds() + " s: " + reason);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the modem");
            }
        }
    }

    void closed() {
        transition(ModemState.CLOSED, "closed by the application");
    }

    private void down(String why, boolean fault) {
        boolean startRecovery = false;
        synchronized (this) {
            if (state == ModemState.RECOVERING) {
                again |= fault;
            } else if (state == ModemState.READY) {
                startRecovery = true;
            }
        }
        if (startRecovery) {
            // The state changes before any socket fails, so a woken reader that asks awaitReady() waits for the
            // recovery instead of finding a stale READY.
            transition(ModemState.RECOVERING, why);
        }
        sockets.fail(why);
        if (startRecovery && options.autoRecover()) {
            Thread t = new Thread(this::recoverLoop, "atmodem-recovery " + at.name());
            t.setDaemon(true);
            t.start();
        }
    }

    private void recoverLoop() {
        long backoff = 0;
        while (true) {
            synchronized (this) {
                if (state != ModemState.RECOVERING) {
                    return;
                }
                again = false;
            }
            try {
                if (backoff > 0) {
                    Thread.sleep(backoff);
                }
                recoverOnce();
                synchronized (this) {
                    // Checking for a new fault and declaring the modem up happen under one lock, so a fault that
                    // arrives now either restarts this loop or finds READY and starts a new recovery.
                    if (again) {
                        log.info("{}: another fault arrived while recovering; recovering again", at.name());
                        continue;
                    }
                    sockets.markUp();
                }
                transition(ModemState.READY, "recovered");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (LinkLostException e) {
                transition(ModemState.LINK_LOST, e.getMessage());
                return;
            } catch (ModemSetupException e) {
                log.error("{}: recovery needs your help: {}", at.name(), e.getMessage());
                transition(ModemState.FAILED, e.getMessage());
                return;
            } catch (IOException | RuntimeException e) {
                if (!at.isAlive()) {
                    return;
                }
                backoff = backoff == 0 ? options.recoveryInitial().toMillis()
                        : Math.min(backoff * 2, options.recoveryMax().toMillis());
                log.warn("{}: recovery failed ({}); next attempt in {} ms", at.name(), e.getMessage(), backoff);
            }
        }
    }

    private void recoverOnce() throws IOException {
        awaitAnswer(at, options.bootTimeout());
        at.execute("ATE0");
        session.recover();
    }

    /** A booting modem may ignore us, answer with garbage, or still have echo on: ask until it says OK. */
    static void awaitAnswer(AtEngine at, Duration bootTimeout) throws IOException {
        long deadline = System.nanoTime() + bootTimeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                at.execute(AtCommand.of("AT").timeout(PROBE_TIMEOUT).build());
                return;
            } catch (AtTimeoutException | AtException e) {
                last = e;
            }
        }
        throw new ModemException("the modem on " + at.name() + " did not answer AT within " + bootTimeout.toSeconds()
                + " s: check the port, the baud rate, the cable and that the modem is powered on", last);
    }

    private void transition(ModemState to, String why) {
        ModemState from;
        synchronized (this) {
            from = state;
            // CLOSED is final; LINK_LOST only leads to CLOSED
            if (from == to || from == ModemState.CLOSED || from == ModemState.LINK_LOST && to != ModemState.CLOSED) {
                return;
            }
            state = to;
            reason = why;
            notifyAll();
        }
        log.info("{}: {} -> {} ({})", at.name(), from, to, why);
        for (ModemListener l : listeners) {
            try {
                l.stateChanged(from, to, why);
            } catch (RuntimeException e) {
                log.warn("{}: a modem listener failed", at.name(), e);
            }
        }
    }
}
