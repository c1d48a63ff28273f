package dev.atmodem.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendWindowTest {

    /**
     * Writer A starts alone with 40 frames; B arrives after A's first frame with 5. Without the window A would put all
     * of its frames on the line first; with it, B's frames go out while A still has most of its own queued.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aLateWriterTakesTurnsInsteadOfQueueingBehindAnEarlyOne() throws Exception {
        SendWindow w = new SendWindow(9600, 300, 100);   // 960 B/s: three 100-byte frames are 0.3 s of line
        List<String> line = Collections.synchronizedList(new ArrayList<>());
        Thread a = startedAfterItsFirstFrame(w, "A", 40, line);
        Thread b = writer(w, "B", 5, line);
        b.start();
        b.join();
        int aBeforeBFinished = (int) line.stream().filter("A"::equals).count();
        a.join();
        assertEquals(45, line.size());
        assertTrue(aBeforeBFinished < 20, "A had put " + aBeforeBFinished + " of its 40 frames on the line before B's 5"
                + " were through: " + line);
    }

    /** Once several writers wait, the turn goes round in arrival order: no writer sends twice while another waits. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void waitingWritersTakeStrictTurns() throws Exception {
        SendWindow w = new SendWindow(19_200, 300, 100);
        List<String> line = Collections.synchronizedList(new ArrayList<>());
        Thread a = startedAfterItsFirstFrame(w, "A", 15, line);
        Thread b = writer(w, "B", 15, line);
        Thread c = writer(w, "C", 15, line);
        b.start();
        c.start();
        a.join();
        b.join();
        c.join();
        List<String> order = List.copyOf(line);
        int allIn = Math.max(order.indexOf("B"), order.indexOf("C"));
        // Until the first writer is done, every frame after the last arrival goes to a different writer than the one
        // before it.
        int firstDone = Math.min(order.lastIndexOf("A"), Math.min(order.lastIndexOf("B"), order.lastIndexOf("C")));
        for (int i = allIn + 1; i <= firstDone; i++) {
            assertTrue(!order.get(i).equals(order.get(i - 1)), "writer " + order.get(i) + " went twice at " + i
                    + " while others waited: " + order);
        }
        assertTrue(firstDone - allIn > 20, "the writers overlapped for only " + (firstDone - allIn) + " frames: "
                + order);
    }

    @Test
    void commandsAreCountedWithoutWaitingAndTheBacklogDrains() throws Exception {
        SendWindow w = new SendWindow(115_200, 2048, 1024);
        w.count(5000);   // far more than the window: counting never blocks
        double first = w.backlog();
        assertTrue(first > 0 && first <= 5000, "backlog " + first);
        Thread.sleep(50);   // 50 ms of a 11,520 B/s line carries about 576 bytes
        assertTrue(w.backlog() < first, "the estimate drains with time: " + first + " -> " + w.backlog());
    }

    @Test
    void aWriteThatFailsReportsItsFailure() {
        SendWindow w = new SendWindow(115_200);
        java.io.IOException boom = new java.io.IOException("link closed");
        assertEquals(boom, assertThrows(java.io.IOException.class, () -> w.write(10, () -> {
            throw boom;
        })));
    }

    @Test
    void rejectsANonsenseWindow() {
        assertThrows(IllegalArgumentException.class, () -> new SendWindow(0));
        assertThrows(IllegalArgumentException.class, () -> new SendWindow(9600, 100, 100));
    }

    /** A writer of {@code n} frames, started, once its first frame is on the line. */
    private static Thread startedAfterItsFirstFrame(SendWindow w, String who, int n, List<String> line)
            throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> frames(w, who, n, line, started));
        t.start();
        started.await();
        return t;
    }

    private static Thread writer(SendWindow w, String who, int n, List<String> line) {
        return new Thread(() -> frames(w, who, n, line, new CountDownLatch(1)));
    }

    private static void frames(SendWindow w, String who, int n, List<String> line, CountDownLatch started) {
        try {
            for (int i = 0; i < n; i++) {
                w.write(100, () -> line.add(who));
                started.countDown();
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
