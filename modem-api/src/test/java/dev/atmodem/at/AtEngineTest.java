package dev.atmodem.at;

import dev.atmodem.LinkLostException;
import dev.atmodem.ModemException;
import dev.atmodem.testing.Feed;
import dev.atmodem.testing.TestModem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AT engine over a real byte stream (an in-memory link to a fake modem whose answers are cut whole, byte by byte
 * or in random pieces): command/response matching and the QUIRKS items that need a running command to make sense.
 */
class AtEngineTest {

    private final TestModem modem = new TestModem();
    private AtEngine at;

    private AtEngine start(Feed feed) throws Exception {
        modem.feed = feed;
        at = new AtEngine(modem.hostLink(), AtEngine.Settings.defaults()).start();
        return at;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (at != null) {
            at.close();
        }
        modem.close();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk1_echoIsRemovedWhileEchoIsOnAndAfterAte0(Feed feed) throws Exception {
        start(feed);
        AtResponse r = at.execute("AT+CGMM");
        assertEquals(List.of("TM-1"), r.texts(), "echo must not appear as an information line");
        at.execute("ATE0");
        assertEquals(List.of("TM-1"), at.execute("AT+CGMM").texts());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk2_promptThenPayloadThenFinal(Feed feed) throws Exception {
        start(feed);
        byte[] payload = "hi\r\n".getBytes(StandardCharsets.ISO_8859_1);
        modem.scriptPrompt("AT+QISEND=0,4", "\r\n> ", payload.length, "\r\nSEND OK\r\n");
        AtResponse r = at.execute(AtCommand.of("AT+QISEND=0,4").payload(payload, 0, payload.length)
                .finalLine(l -> l.equals("SEND OK") || l.equals("SEND FAIL")).build());
        assertEquals("SEND OK", r.finalLine());
        assertArrayEquals(payload, modem.scriptedPayloads.get(0));
        // u-blox style: '@' prompt after CRLF, binary payload with CR LF inside
        modem.scriptPrompt("AT+USOWR=0,4", "\r\n@", payload.length, "\r\n+USOWR: 0,4\r\n\r\nOK\r\n");
        AtResponse u = at.execute(AtCommand.of("AT+USOWR=0,4").payload(payload, 0, payload.length).prompt('@')
                .promptDelay(Duration.ofMillis(50)).expect("+USOWR:").build());
        assertEquals("0,4", u.value("+USOWR:"));
        assertArrayEquals(payload, modem.scriptedPayloads.get(1));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk3_payloadWithLineEndsBelongsToItsCommand(Feed feed) throws Exception {
        start(feed);
        at.addPayloadRule(PayloadRule.afterLine("\\+QIRD: (\\d+)", 1));
        modem.script("AT+QIRD=0", "\r\n+QIRD: 6\r\nOK\r\n\0\u001a\r\n\r\nOK\r\n");
        AtResponse r = at.execute(AtCommand.of("AT+QIRD=0").expect("+QIRD:").build());
        assertArrayEquals("OK\r\n\0\u001a".getBytes(StandardCharsets.ISO_8859_1), r.line("+QIRD:").payload());
        assertTrue(r.isOk());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk4_okWithOnlyLfAfterPayload(Feed feed) throws Exception {
        start(feed);
        at.addPayloadRule(PayloadRule.afterLine("\\+CIPRXGET: 2,\\d+,(\\d+),\\d+", 1));
        modem.script("AT+CIPRXGET=2,0,7", "\r\n+CIPRXGET: 2,0,7,0\r\nCache-C\nOK\r\n");
        AtResponse r = at.execute(AtCommand.of("AT+CIPRXGET=2,0,7").expect("+CIPRXGET:").build());
        assertEquals("Cache-C", new String(r.line("+CIPRXGET:").payload(), StandardCharsets.ISO_8859_1));
        assertTrue(r.isOk());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk5_sendOkFollowedImmediatelyByTheNextEcho(Feed feed) throws Exception {
        start(feed); // echo is on
        at.addPayloadRule(PayloadRule.afterLine("\\+QIRD: (\\d+)", 1));
        modem.script("AT+QIRD=0", "\r\n+QIRD: 0\r\n\r\nOK\r\n");
        modem.script("AT+X", "\r\nSEND OK\r\n");
        assertEquals("SEND OK", at.execute(AtCommand.of("AT+X").finalLine(l -> l.equals("SEND OK")).build())
                .finalLine());
        AtResponse r = at.execute(AtCommand.of("AT+QIRD=0").expect("+QIRD:").build());
        assertEquals(0, r.line("+QIRD:").payload().length);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk6_bareIpAsFinalResult(Feed feed) throws Exception {
        start(feed);
        modem.script("AT+CIFSR", "\r\n10.45.2.7\r\n");
        AtResponse r = at.execute(AtCommand.of("AT+CIFSR")
                .finalLine(Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")).build());
        assertEquals("10.45.2.7", r.finalLine());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk7_perConnectionResultsWithCommaSpace(Feed feed) throws Exception {
        start(feed);
        modem.script("AT+CIPSEND=1,3", "\r\n1, SEND FAIL\r\n");
        AtResponse r = at.execute(AtCommand.of("AT+CIPSEND=1,3")
                .finalLine(Pattern.compile("\\d+, SEND (OK|FAIL)")).build());
        assertEquals("1, SEND FAIL", r.finalLine());
        modem.script("AT+CGATT?", "\r\n+CGATT:0\r\n\r\nOK\r\n");
        assertEquals("0", at.execute(AtCommand.of("AT+CGATT?").expect("+CGATT:").build()).value("+CGATT:"));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk9_urcsInsideAResponseAreDispatchedAndTheAnswerStaysWhole(Feed feed) throws Exception {
        start(feed);
        List<String> urcs = new CopyOnWriteArrayList<>();
        at.onUrc(l -> l.equals("RDY") || l.startsWith("+CFUN:") || l.startsWith("+CPIN:"),
                u -> urcs.add(u.text()));
        at.onUrc(l -> l.matches("\\d+, CONNECT (OK|FAIL)"), u -> urcs.add(u.text()));
        modem.script("AT+CPIN?", "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n");
        modem.script("AT+CMGF=1", "\r\n0, CONNECT FAIL\r\n\r\nOK\r\n");
        AtResponse r = at.execute(AtCommand.of("AT+CPIN?").expect("+CPIN:").build());
        assertEquals(List.of("+CPIN: READY", "+CPIN: READY"), r.texts());
        assertTrue(at.execute("AT+CMGF=1").texts().isEmpty(), "the late CONNECT FAIL is not part of CMGF's answer");
        awaitSize(urcs, 3);
        assertEquals(List.of("RDY", "+CFUN: 1", "0, CONNECT FAIL"), urcs);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk10_resultAfterOkIsAwaitedAsAFollowUp(Feed feed) throws Exception {
        start(feed);
        modem.script("AT+QIOPEN=1,0,\"TCP\",\"a.test\",80,0,0", "\r\nOK\r\n\r\n+QIOPEN: 0,566\r\n");
        try (FollowUp f = at.expectPrefix("+QIOPEN: 0,")) {
            at.execute("AT+QIOPEN=1,0,\"TCP\",\"a.test\",80,0,0");
            assertEquals("566", f.next(Duration.ofSeconds(5)).after("+QIOPEN: 0,"));
        }
        try (FollowUp f = at.expectPrefix("+NEVER")) {
            AtTimeoutException e = assertThrows(AtTimeoutException.class, () -> f.next(Duration.ofMillis(100)));
            assertTrue(e.getMessage().contains("'+NEVER'"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk13_errorFormsBecomeAtExceptionsWithMeaning(Feed feed) throws Exception {
        start(feed);
        modem.script("AT+A", "\r\nERROR\r\n\r\n+CME ERROR: 564\r\n");
        modem.script("AT+B", "\r\n+CME ERROR: 10\r\n");
        modem.script("AT+C", "\r\n+CME ERROR: operation not allowed\r\n");
        modem.script("AT+D", "\r\nERROR\r\n");
        AtException a = assertThrows(AtException.class, () -> at.execute("AT+A"));
        assertEquals(564, a.code());
        assertEquals("+CME ERROR: 564", a.answer());
        AtException b = assertThrows(AtException.class, () -> at.execute("AT+B"));
        assertEquals(10, b.code());
        assertEquals("SIM not inserted", b.meaning());
        assertTrue(b.getMessage().contains("AT+B") && b.getMessage().contains("SIM not inserted"), b.getMessage());
        AtException c = assertThrows(AtException.class, () -> at.execute("AT+C"));
        assertNull(c.code());
        assertEquals("operation not allowed", c.meaning());
        AtException d = assertThrows(AtException.class, () -> at.execute("AT+D"));
        assertEquals("ERROR", d.answer());
        assertEquals(List.of("TM-1"), at.execute("AT+CGMM").texts(), "the engine stays in step after errors");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk14_rebootNoiseAroundUrcs(Feed feed) throws Exception {
        start(feed);
        List<String> urcs = new CopyOnWriteArrayList<>();
        at.onUrc(l -> l.equals("RDY") || l.equals("APP RDY") || l.equals("POWERED DOWN"), u -> urcs.add(u.text()));
        modem.inject("\0\0\r\nPOWERED DOWN\r\n\u00ff\u00ff\r\nRDY\r\n\0\r\nAPP RDY\r\n");
        awaitSize(urcs, 3);
        assertEquals(List.of("POWERED DOWN", "RDY", "APP RDY"), urcs);
        assertEquals(List.of("TM-1"), at.execute("AT+CGMM").texts());
    }

    @Test
    void aFloodOfLinesFailsTheCommandAtTheCapAndTheNextCommandReadsThroughTheRest() throws Exception {
        start(Feed.WHOLE);
        // 3x the line cap without a final result: the first command stops collecting at the cap instead of holding
        // them all; the resync before the next command reads through the rest.
        modem.script("AT+CSQ", "\r\n+CSQ: 1,1".repeat(3 * AtEngine.MAX_RESPONSE_LINES) + "\r\n");
        ModemException e = assertThrows(ModemException.class, () -> at.execute("AT+CSQ"));
        assertTrue(e.getMessage().contains("flooding") && e.getMessage().contains("AT+CSQ"), e.getMessage());
        assertEquals(List.of("TM-1"), at.execute("AT+CGMM").texts());
    }

    /**
     * A modem floods URCs while the event thread is busy (as when it waits for a socket read's answer): repeats of one
     * URC merge into the one still waiting, and varied URCs stop queueing at {@link AtEngine#MAX_PENDING_URCS}, so the
     * queue, and the heap it holds, stays bounded; the engine keeps answering commands and handles what it queued.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aUrcFloodWhileTheEventThreadIsBusyStaysBounded() throws Exception {
        start(Feed.WHOLE);
        List<String> handled = new CopyOnWriteArrayList<>();
        at.onUrc(l -> l.startsWith("+SAME") || l.startsWith("+VARIED"), u -> handled.add(u.text()));
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        at.runOnEventThread(() -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        busy.await();
        int repeats = 50_000;
        int varied = 20_000;
        modem.inject("\r\n+SAME: 1\r\n".repeat(repeats));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < varied; i++) {
            b.append("\r\n+VARIED: ").append(i).append("\r\n");
        }
        modem.inject(b.toString());
        // answered after the flood: the reader has dispatched all of it by now, with the event thread still held
        assertEquals(List.of("TM-1"), at.execute("AT+CGMM").texts());
        assertEquals(AtEngine.MAX_PENDING_URCS, at.pendingUrcCount(), "URCs waiting for the held event thread");
        long[] mergedDropped = at.urcsMergedAndDropped();
        assertEquals(repeats - 1, mergedDropped[0], "repeats merged into the first");
        assertEquals(varied - (AtEngine.MAX_PENDING_URCS - 1), mergedDropped[1], "varied URCs beyond the bound");
        release.countDown();
        awaitSize(handled, AtEngine.MAX_PENDING_URCS);
        assertEquals("+SAME: 1", handled.get(0));
        assertEquals(1, handled.stream().filter("+SAME: 1"::equals).count());
        assertEquals("+VARIED: 0", handled.get(1));
        assertEquals("+VARIED: " + (AtEngine.MAX_PENDING_URCS - 2), handled.get(handled.size() - 1));
        assertEquals(0, at.pendingUrcCount());
        // once handled, the same URC is news again
        modem.inject("\r\n+SAME: 1\r\n");
        awaitSize(handled, AtEngine.MAX_PENDING_URCS + 1);
    }

    /** Only back-to-back repeats merge: a URC, another, then the first again are three events, in order. */
    @Test
    void urcsThatRepeatAroundAnotherAreAllHandledInOrder() throws Exception {
        start(Feed.RANDOM_PIECES);
        List<String> handled = new CopyOnWriteArrayList<>();
        at.onUrc(l -> l.startsWith("+UUSOCL") || l.startsWith("+UUSOCO"), u -> handled.add(u.text()));
        CountDownLatch release = new CountDownLatch(1);
        at.runOnEventThread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        modem.inject("\r\n+UUSOCL: 1\r\n\r\n+UUSOCO: 1,0\r\n\r\n+UUSOCL: 1\r\n\r\n+UUSOCL: 1\r\n");
        assertEquals(List.of("TM-1"), at.execute("AT+CGMM").texts());
        release.countDown();
        awaitSize(handled, 3);
        assertEquals(List.of("+UUSOCL: 1", "+UUSOCO: 1,0", "+UUSOCL: 1"), handled);
    }

    @Test
    void silentModemTimesOutAndTheEngineResynchronisesAfterwards() throws Exception {
        start(Feed.WHOLE);
        modem.silent = true;
        AtTimeoutException e = assertThrows(AtTimeoutException.class,
                () -> at.execute(AtCommand.of("AT+CSQ").timeout(Duration.ofMillis(200)).build()));
        assertTrue(e.getMessage().contains("AT+CSQ"), e.getMessage());
        modem.silent = false;
        assertEquals(List.of("TM-1"), at.execute("AT+CGMM").texts());
        assertTrue(modem.commands.contains("AT"), "a plain AT re-synchronised the line: " + modem.commands);
    }

    @Test
    void commandsFromManyThreadsAreSerialisedAndEachGetsItsOwnAnswer() throws Exception {
        start(Feed.RANDOM_PIECES);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String cmd = i % 2 == 0 ? "AT+CGMM" : "AT+CGMI";
                results.add(pool.submit(() -> at.execute(cmd).texts()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(List.of(i % 2 == 0 ? "TM-1" : "Acme"), results.get(i).get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lostLinkFailsTheRunningCommandAndEveryLaterOne() throws Exception {
        start(Feed.WHOLE);
        modem.silent = true;
        List<Exception> lost = new CopyOnWriteArrayList<>();
        at.onLinkLost(lost::add);
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(100);
                modem.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        assertThrows(LinkLostException.class,
                () -> at.execute(AtCommand.of("AT+CSQ").timeout(Duration.ofSeconds(30)).build()));
        assertThrows(LinkLostException.class, () -> at.execute("AT"));
        awaitSize(lost, 1);
        assertFalse(at.isAlive());
    }

    @Test
    void cancellationStopsAWaitingCommand() throws Exception {
        start(Feed.WHOLE);
        modem.silent = true;
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
        after100ms(() -> cancel.set(true));
        assertThrows(AtCancelledException.class, () -> at.execute(
                AtCommand.of("AT+CSQ").timeout(Duration.ofSeconds(30)).build(), cancel::get));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void aCommandWaitingForItsAnswerSleepsUntilTheAnswerOrItsDeadline() throws Exception {
        Path self = Path.of("/proc/thread-self/status");
        assumeTrue(Files.exists(self), "counts this thread's context switches in /proc (Linux)");
        start(Feed.WHOLE);
        at.execute("AT"); // the first command's one-off work is not part of the wait
        modem.silent = true;
        long before = voluntarySwitches(self);
        assertThrows(AtTimeoutException.class,
                () -> at.execute(AtCommand.of("AT+CSQ").timeout(Duration.ofMillis(800)).build()));
        long woke = voluntarySwitches(self) - before;
        // polling in 20 ms slices woke it about 40 times; now it sleeps until the deadline
        assertTrue(woke <= 5, "the waiting thread woke " + woke + " times in 800 ms");
    }

    @Test
    void anAnnouncedCancellationEndsTheWaitWhenTheEngineIsWoken() throws Exception {
        start(Feed.WHOLE);
        modem.silent = true;
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
        after100ms(() -> {
            cancel.set(true);
            at.wakeWaiters();
        });
        assertThrows(AtCancelledException.class, () -> at.execute(
                AtCommand.of("AT+CSQ").timeout(Duration.ofSeconds(30)).build(), Cancellation.announced(cancel::get)));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void anAnnouncedCancellationIsNotPolled() throws Exception {
        start(Feed.WHOLE);
        modem.silent = true;
        // fired while the command waits, but never announced: only the deadline ends the wait
        java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
        long t0 = System.nanoTime();
        after100ms(() -> cancel.set(true));
        assertThrows(ModemException.class, () -> at.execute(
                AtCommand.of("AT+CSQ").timeout(Duration.ofMillis(600)).build(), Cancellation.announced(cancel::get)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // polled, it would have ended within a slice of the 100 ms mark
        assertTrue(ms >= 500, "the wait ended after " + ms + " ms, before its deadline");
    }

    @Test
    void aPauseAfterThePromptIsKeptInFullAndThePromptDoesNotWakeTheSender() throws Exception {
        Path self = Path.of("/proc/thread-self/status");
        assumeTrue(Files.exists(self), "counts this thread's context switches in /proc (Linux)");
        start(Feed.WHOLE);
        AtCommand write = pausedWrite();
        at.execute(write); // the engine learns how long a prompt takes to come
        long before = voluntarySwitches(self);
        for (int i = 0; i < 10; i++) {
            assertEquals("0,4", at.execute(write).value("+USOWR:"));
        }
        long woke = voluntarySwitches(self) - before;
        assertPausesKept();
        // woken by the prompt, by the end of the pause and by the answer, the sender woke 30 times; now 20
        assertTrue(woke <= 25, "the sender woke " + woke + " times for 10 writes");
    }

    @Test
    void aPromptLaterThanTheLastOneStillWakesTheSenderAndGetsItsWholePause() throws Exception {
        start(Feed.WHOLE);
        AtCommand write = pausedWrite();
        at.execute(write); // a prompt at once: the next one is expected as soon
        modem.promptLagMillis = 150;
        long t0 = System.nanoTime();
        assertEquals("0,4", at.execute(write).value("+USOWR:"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertPausesKept();
        assertTrue(ms < 1_000, "the late prompt was noticed only after " + ms + " ms");
        // and one slow prompt does not make the next, fast one wait as long
        modem.promptLagMillis = 0;
        long t1 = System.nanoTime();
        at.execute(write);
        long next = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
        assertPausesKept();
        assertTrue(next < 150, "a fast prompt after a slow one took " + next + " ms to write");
    }

    @Test
    void aPayloadDueAtOnceGoesOutFromTheReaderSoThePromptWakesNoSender() throws Exception {
        Path self = Path.of("/proc/thread-self/status");
        assumeTrue(Files.exists(self), "counts this thread's context switches in /proc (Linux)");
        start(Feed.WHOLE);
        AtCommand send = immediateWrite();
        at.execute(send);
        long before = voluntarySwitches(self);
        for (int i = 0; i < 10; i++) {
            assertEquals("SEND OK", at.execute(send).finalLine());
        }
        long woke = voluntarySwitches(self) - before;
        assertEquals(11, modem.scriptedPayloads.size());
        for (byte[] p : modem.scriptedPayloads) {
            assertArrayEquals("hi\r\n".getBytes(StandardCharsets.ISO_8859_1), p);
        }
        // woken by the prompt to write the payload and by SEND OK, the sender woke 20 times for 10 sends
        assertTrue(woke <= 15, "the sender woke " + woke + " times for 10 sends");
    }

    @Test
    void aPromptThatComesAfterTheSenderGaveUpGetsNoPayload() throws Exception {
        start(Feed.WHOLE);
        AtCommand send = immediateWrite();
        modem.promptLagMillis = 300;
        long written = modem.bytesFromHost.get();
        List<Throwable> failure = new CopyOnWriteArrayList<>();
        Thread sender = new Thread(() -> {
            try {
                at.execute(send);
            } catch (Throwable t) {
                failure.add(t);
            }
        });
        sender.start();
        Thread.sleep(100);
        sender.interrupt(); // before the prompt: the sender gives up
        sender.join(5_000);
        assertEquals(1, failure.size());
        assertTrue(failure.get(0) instanceof AtCancelledException, failure.get(0)::toString);
        Thread.sleep(500); // the prompt came at 300 ms
        // the command went out and nothing after it: the modem at its prompt waits for the next command's resync (ESC)
        assertEquals("AT+QISEND=0,4\r".length(), modem.bytesFromHost.get() - written);
        assertTrue(modem.scriptedPayloads.isEmpty());
    }

    @Test
    void anAnnouncedCancelBeforeThePromptEndsTheSendOnceItsPayloadIsOut() throws Exception {
        start(Feed.WHOLE);
        AtCommand send = immediateWrite();
        modem.promptLagMillis = 200;
        modem.resultLagMillis = 3_000; // the modem sends over a slow network before it answers
        java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
        after100ms(() -> {
            cancel.set(true); // a socket's close, before the prompt came
            at.wakeWaiters();
        });
        long t0 = System.nanoTime();
        assertThrows(AtCancelledException.class, () -> at.execute(send, Cancellation.announced(cancel::get)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // the modem asked for the payload and got it whole; the sender did not wait for the answer after it
        assertTrue(ms < 2_000, "the cancelled send ended after " + ms + " ms");
        Thread.sleep(200);
        assertEquals(1, modem.scriptedPayloads.size());
        assertArrayEquals("hi\r\n".getBytes(StandardCharsets.ISO_8859_1), modem.scriptedPayloads.get(0));
    }

    /** A Quectel style send: {@code >} prompt, the payload at once, then {@code SEND OK}. */
    private AtCommand immediateWrite() {
        byte[] payload = "hi\r\n".getBytes(StandardCharsets.ISO_8859_1);
        modem.scriptPrompt("AT+QISEND=0,4", "\r\n> ", payload.length, "\r\nSEND OK\r\n");
        return AtCommand.of("AT+QISEND=0,4").payload(payload, 0, payload.length)
                .finalLine(l -> l.equals("SEND OK") || l.equals("SEND FAIL")).build();
    }

    /** A u-blox style write: {@code @} prompt, then a 50 ms pause before the payload (QUIRKS 2). */
    private AtCommand pausedWrite() {
        byte[] payload = "hi\r\n".getBytes(StandardCharsets.ISO_8859_1);
        modem.scriptPrompt("AT+USOWR=0,4", "\r\n@", payload.length, "\r\n+USOWR: 0,4\r\n\r\nOK\r\n");
        return AtCommand.of("AT+USOWR=0,4").payload(payload, 0, payload.length).prompt('@')
                .promptDelay(Duration.ofMillis(50)).expect("+USOWR:").build();
    }

    private void assertPausesKept() {
        assertFalse(modem.promptToPayloadNanos.isEmpty());
        for (long gap : modem.promptToPayloadNanos) {
            assertTrue(gap >= TimeUnit.MILLISECONDS.toNanos(50), "the payload came " + gap / 1000
                    + " µs after the prompt, before the 50 ms pause was over");
        }
    }

    /** Runs {@code action} on a thread of its own 100 ms from now, while the test's command waits. */
    private static void after100ms(Runnable action) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            action.run();
        });
        t.start();
    }

    private static long voluntarySwitches(Path status) throws java.io.IOException {
        for (String l : Files.readAllLines(status)) {
            if (l.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(l.substring(l.indexOf(':') + 1).strip());
            }
        }
        throw new AssertionError("no voluntary_ctxt_switches in " + status);
    }

    @Test
    void closingTheEngineFailsARunningCommandAtOnce() throws Exception {
        start(Feed.WHOLE);
        modem.silent = true;
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            at.close();
        });
        closer.start();
        long t0 = System.nanoTime();
        LinkLostException e = assertThrows(LinkLostException.class,
                () -> at.execute(AtCommand.of("AT+CSQ").timeout(Duration.ofSeconds(30)).build()));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "the command waited for its timeout");
    }

    @Test
    void secretsNeverAppearInTimeoutMessagesEvenWhenEchoed() throws Exception {
        start(Feed.WHOLE); // echo on: the modem repeats the PIN back
        modem.script("AT+CPIN=\"1234\"", "\r\n+CSQ: 10,99\r\n"); // a stray line, then nothing
        AtTimeoutException e = assertThrows(AtTimeoutException.class, () -> at.execute(
                AtCommand.of("AT+CPIN=\"1234\"").secret("1234").timeout(Duration.ofMillis(300)).build()));
        assertFalse(e.getMessage().contains("1234"), e.getMessage());
        assertTrue(e.getMessage().contains("***"), e.getMessage());
    }

    @Test
    void theEchoIsRecognisedEvenAfterAStrayLine() throws Exception {
        start(Feed.WHOLE);
        modem.silent = true; // answer by hand: a stray URC first, then the echo, then the answer
        Thread answer = new Thread(() -> {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!modem.commands.contains("AT+CGMR") && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            modem.inject("\r\n+QIND: SMS DONE\r\nAT+CGMR\r\r\n1.0\r\n\r\nOK\r\n");
        });
        answer.start();
        assertEquals(List.of("+QIND: SMS DONE", "1.0"), at.execute("AT+CGMR").texts());
        answer.join();
    }

    static void awaitSize(List<?> list, int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (list.size() < n && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(n, list.size(), list.toString());
    }
}
