package dev.atmodem.at;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A reentrant lock granted strictly in arrival order, whose waiters keep their place across timed waits. A fair
 * {@link ReentrantLock} loses that: a waiter whose {@code tryLock(timeout)} expires leaves the queue and re-enters at
 * the tail, so threads that wait in short slices (to check for cancellation) are overtaken by the thread that just
 * released the lock; with many sockets writing at once, one socket then gets most of the serial line.
 *
 * <p>Use: {@code while (!l.tryAcquire(slice)) { checks; }} and {@link #abandon()} when giving up, then
 * {@link #release()} after a successful acquire.
 */
final class FifoLock {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Thread> waiting = new ArrayDeque<>();
    private Thread owner;
    private int holds;

    /**
     * Waits up to {@code nanos} for this thread's turn. On {@code false} the thread stays queued: call again to keep
     * waiting, or {@link #abandon()}.
     */
    boolean tryAcquire(long nanos) throws InterruptedException {
        Thread me = Thread.currentThread();
        lock.lock();
        try {
            if (owner == me) {
                holds++;
                return true;
            }
            if (!waiting.contains(me)) {
                waiting.addLast(me);
            }
            long left = nanos;
            while (owner != null || waiting.peekFirst() != me) {
                if (left <= 0) {
                    return false;
                }
                try {
                    left = changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    leave(me);
                    throw e;
                }
            }
            waiting.removeFirst();
            owner = me;
            holds = 1;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives up this thread's place in the queue (after a {@code false} from {@link #tryAcquire}). */
    void abandon() {
        lock.lock();
        try {
            leave(Thread.currentThread());
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            if (owner != Thread.currentThread()) {
                throw new IllegalMonitorStateException("the line is not held by " + Thread.currentThread().getName());
            }
            if (--holds == 0) {
                owner = null;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many threads wait for the line (for tests). */
    int queued() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void leave(Thread me) {
        if (waiting.remove(me)) {
            changed.signalAll(); // the next in line may now be first
        }
    }
}
