package dev.atmodem.at;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FifoLockTest {

    private static final long SLICE = TimeUnit.MILLISECONDS.toNanos(1);

    /** Waiters polling in short slices are served in arrival order, not in the order their slices expire. */
    @Test
    void waitersKeepTheirPlaceAcrossSlices() throws Exception {
        FifoLock lock = new FifoLock();
        assertTrue(lock.tryAcquire(SLICE));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            String name = "w" + i;
            Thread t = new Thread(() -> {
                try {
                    while (!lock.tryAcquire(SLICE)) {
                        // keep waiting in slices, as AtEngine does
                    }
                    order.add(name);
                    lock.release();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
            t.start();
            waitUntilQueued(lock, i + 1);
        }
        Thread.sleep(20); // many slices expire while the line is held
        lock.release();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("w0", "w1", "w2", "w3"), order);
    }

    @Test
    void anAbandonedPlaceDoesNotBlockTheNext() throws Exception {
        FifoLock lock = new FifoLock();
        assertTrue(lock.tryAcquire(SLICE));
        CountDownLatch gaveUp = new CountDownLatch(1);
        Thread quitter = new Thread(() -> {
            try {
                assertFalse(lock.tryAcquire(SLICE));
                lock.abandon();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                gaveUp.countDown();
            }
        });
        quitter.start();
        assertTrue(gaveUp.await(5, TimeUnit.SECONDS));
        lock.release();
        CountDownLatch got = new CountDownLatch(1);
        Thread next = new Thread(() -> {
            try {
                if (lock.tryAcquire(TimeUnit.SECONDS.toNanos(5))) {
                    got.countDown();
                    lock.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        next.start();
        assertTrue(got.await(5, TimeUnit.SECONDS));
    }

    @Test
    void reentrantAndOnlyTheOwnerReleases() throws Exception {
        FifoLock lock = new FifoLock();
        assertTrue(lock.tryAcquire(SLICE));
        assertTrue(lock.tryAcquire(SLICE));
        lock.release();
        Thread other = new Thread(() -> assertThrows(IllegalMonitorStateException.class, lock::release));
        other.start();
        other.join();
        lock.release();
        assertThrows(IllegalMonitorStateException.class, lock::release);
    }

    private static void waitUntilQueued(FifoLock lock, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lock.queued() < n && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(n, lock.queued());
    }
}
