package dev.atmodem.hostile;

import dev.atmodem.Modem;
import dev.atmodem.SignalQuality;
import dev.atmodem.testkit.hostile.HostileBytes;
import dev.atmodem.testkit.hostile.HostileModem;
import dev.atmodem.testkit.hostile.HostileModem.Reaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.atmodem.testkit.hostile.HostileBytes.MIB;
import static dev.atmodem.testkit.hostile.HostileBytes.concat;
import static dev.atmodem.testkit.hostile.HostileBytes.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile or broken modem, per driver: 1 MiB lines without an end, payload lengths of 2^31-1 and negative, invalid
 * UTF-8, NUL floods, answers to commands never sent, a prompt that never comes. For each: memory stays bounded (the
 * reader thread allocates far less than the flood it swallowed), the affected operation fails with an IOException
 * that says what happened, and the same modem then works again (a fresh socket's SHA-256 echo), all within a
 * deadline.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostileInputTest {

    static final java.util.List<DriverCase> DRIVERS = DriverCase.ALL;
    /** The rows with a read command and a data prompt (NINA-W has EDM frames instead: HostileEdmInputTest). */
    static final java.util.List<DriverCase> AT_DATA = DriverCase.atData();

    private HostileRig rig;
    private HostileModem hostile;
    private Modem modem;
    private DriverCase current;

    @AfterEach
    void tearDown() throws IOException {
        if (rig != null) {
            rig.close();
        }
    }

    private void open(DriverCase d) throws IOException {
        open(d, Duration.ofSeconds(10));
    }

    /** {@code sendTimeout}: how long a send waits for its prompt (short only where the prompt is withheld). */
    private void open(DriverCase d, Duration sendTimeout) throws IOException {
        current = d;
        rig = HostileRig.open(d, Duration.ofSeconds(10), o -> d.edm() ? o : o.withTimeout(sendName(d), sendTimeout));
        hostile = rig.hostile;
        modem = rig.modem;
    }

    private static String sendName(DriverCase d) {
        return d.sendCommand().substring(4, d.sendCommand().indexOf('='));
    }

    /** The modem works again: a fresh socket moves 4 KiB both ways, SHA-256 checked, and the probe is answered. */
    private void assertRecovered() throws Exception {
        rig.assertEchoWorks();
        String q = probe(current);
        assertTrue(q != null && !q.isEmpty(), "no answer to " + probeCommand(current) + " after recovery");
    }

    /** The command the text cases attack: signal quality on cellular rows, the model (AT+GMM) on a Wi-Fi module. */
    private static String probeCommand(DriverCase d) {
        return d.cellular() ? "AT+CSQ" : "AT+GMM";
    }

    private static String probeRegex(DriverCase d) {
        return probeCommand(d).replace("+", "\\+");
    }

    /** Runs the probe the way a user would; its answer as text. */
    private String probe(DriverCase d) throws IOException {
        if (d.cellular()) {
            SignalQuality q = modem.signal();
            return q == null ? null : q.toString();
        }
        return String.join("|", modem.execute(probeCommand(d)).texts());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("DRIVERS")
    void aMebibyteLineWithoutEndFailsTheCommandAndIsNeverBuffered(DriverCase d) throws Exception {
        open(d);
        hostile.answerNext(probeRegex(d), concat(of("\r\n+CSQ: "), HostileBytes.endlessLine(MIB)));
        long before = rig.readerAllocated();
        IOException e = assertThrows(IOException.class, () -> probe(d));
        long allocated = rig.readerAllocated() - before;
        assertTrue(e.getMessage().contains("longer than") && e.getMessage().contains(probeCommand(d)), e.getMessage());
        System.out.println(d + ": the AT reader allocated " + allocated + " B while taking a 1 MiB line");
        assertTrue(allocated < MIB / 4, "the reader thread allocated " + allocated + " bytes for a 1 MiB line");
        hostile.inject(of("\r\n"));   // the hostile line finally ends; the next command must not see any of it
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("DRIVERS")
    void aNulFloodIsDroppedWithoutBufferingAndTheModemStillAnswers(DriverCase d) throws Exception {
        open(d);
        long before = rig.readerAllocated();
        hostile.inject(HostileBytes.nulFlood(MIB));
        hostile.inject(concat(of("\r\n"), HostileBytes.nulFlood(64 * 1024), of("\r\n")));
        String q = probe(d);   // answered after the flood: the engine read through it
        long allocated = rig.readerAllocated() - before;
        assertTrue(q != null && !q.isEmpty(), "no answer after the flood");
        System.out.println(d + ": the AT reader allocated " + allocated + " B while taking a 1 MiB + 64 KiB NUL flood");
        assertTrue(allocated < MIB / 4, "the reader thread allocated " + allocated + " bytes for a 1 MiB NUL flood");
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("DRIVERS")
    void aFloodOfShortLinesFailsTheCommandInsteadOfPilingUp(DriverCase d) throws Exception {
        open(d);
        hostile.answerNext(probeRegex(d), of("\r\n+CSQ: 1,1".repeat(20_000)));
        IOException e = assertThrows(IOException.class, () -> probe(d));
        assertTrue(e.getMessage().contains("flooding") && e.getMessage().contains(probeCommand(d)), e.getMessage());
        hostile.inject(of("\r\n"));
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("AT_DATA")   // NINA-W has no typed query left to fail (no CSQ); AT+GMM is answered as raw text
    void invalidUtf8InAnAnswerFailsThatCommandClearly(DriverCase d) throws Exception {
        open(d);
        hostile.answerNext(probeRegex(d), concat(HostileBytes.invalidUtf8Line(), of("\r\nOK\r\n")));
        IOException e = assertThrows(IOException.class, () -> probe(d));
        assertTrue(e.getMessage().contains(probeCommand(d).substring(2)), e.getMessage());
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("DRIVERS")
    void invalidUtf8AndControlBytesAsUnsolicitedLinesAreIgnored(DriverCase d) throws Exception {
        open(d);
        hostile.inject(concat(HostileBytes.invalidUtf8Line(), of("\r\n\u0001\u0002\u001b[2J+\u00ff\u00fe\r\n")));
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("DRIVERS")
    void answersToCommandsNeverSentDoNotAnswerTheNextCommand(DriverCase d) throws Exception {
        open(d);
        hostile.inject(of("\r\nOK\r\n\r\n+CSQ: 1,1\r\n\r\nOK\r\n\r\nERROR\r\n\r\n+CME ERROR: 10\r\n\r\nSEND OK\r\n"
                + "\r\n> \r\n@\r\n"));
        Thread.sleep(300);   // the stray lines arrive while no command runs
        String q = probe(d);
        String real = probe(d);
        assertEquals(real, q, "a stray answer answered the next " + probeCommand(d));
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("AT_DATA")
    void aPayloadLengthOf2To31Minus1FailsTheReadAndThenTheModemWorks(DriverCase d) throws Exception {
        hugeOrNegativeRead(d, Integer.toString(Integer.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("AT_DATA")
    void aNegativePayloadLengthFailsTheReadAndThenTheModemWorks(DriverCase d) throws Exception {
        hugeOrNegativeRead(d, "-5");
    }

    private void hugeOrNegativeRead(DriverCase d, String length) throws Exception {
        open(d);
        Pattern read = Pattern.compile(d.readCommand());
        hostile.interceptor(new HostileModem.Interceptor() {
            private boolean done;

            @Override
            public Reaction onCommand(String line) {
                Matcher m = read.matcher(line);
                if (done || !m.matches()) {
                    return Reaction.PASS;
                }
                done = true;
                return Reaction.replace(concat(of(String.format(d.readHeader(), m.group(1), length)),
                        HostileBytes.endlessLine(64), of("\r\nOK\r\n")));
            }
        });
        try (Socket s = rig.echoSocket()) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(of("ping\r\n"));
            s.getOutputStream().flush();
            IOException e = assertThrows(IOException.class, () -> readAll(s.getInputStream(), 6));
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "no message: " + e);
            assertTrue(!(e instanceof java.net.SocketTimeoutException), "the read just timed out: " + e);
        }
        assertEquals(1, hostile.intercepted().size(), "the hostile read answer was never sent");
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("AT_DATA")
    void aPromptThatNeverComesFailsTheWriteAndThenTheModemWorks(DriverCase d) throws Exception {
        open(d, Duration.ofSeconds(2));
        hostile.answerNext(d.sendCommand(), new byte[0]);
        try (Socket s = rig.echoSocket()) {
            IOException e = assertThrows(IOException.class, () -> {
                s.getOutputStream().write(of("never sent\r\n"));
                s.getOutputStream().flush();
            });
            assertTrue(e.getMessage().contains("prompt"), e.getMessage());
        }
        assertRecovered();
    }

    private static byte[] readAll(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            if (r < 0) {
                throw new IOException("end of stream after " + got + " bytes");
            }
            got += r;
        }
        return b;
    }
}
