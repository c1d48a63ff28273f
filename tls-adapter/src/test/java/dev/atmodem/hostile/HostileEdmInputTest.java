package dev.atmodem.hostile;

import dev.atmodem.Modem;
import dev.atmodem.testkit.hostile.HostileBytes;
import dev.atmodem.testkit.hostile.HostileModem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.atmodem.testkit.hostile.HostileBytes.MIB;
import static dev.atmodem.testkit.hostile.HostileBytes.concat;
import static dev.atmodem.testkit.hostile.HostileBytes.edmAt;
import static dev.atmodem.testkit.hostile.HostileBytes.edmFrame;
import static dev.atmodem.testkit.hostile.HostileBytes.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EDM rows of {@link HostileInputTest}: a u-connectXpress module (NINA-W) carries AT answers in EDM frames and
 * socket data in EDM data frames, so a read answer announcing 2^31-1 bytes or a data prompt that never comes have no
 * equivalent. Their counterparts: a frame announcing a length of 0xFFFF, a truncated frame, a frame of an unknown
 * type, garbage between frames, data on a channel no connect event opened. For each: memory stays bounded, the command
 * hit fails with an IOException naming it, and the same modem then works again (a fresh socket's SHA-256 echo and a
 * plain command).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostileEdmInputTest {

    static final java.util.List<DriverCase> EDM = DriverCase.ALL.stream().filter(DriverCase::edm).toList();

    private HostileRig rig;
    private HostileModem hostile;
    private Modem modem;

    @AfterEach
    void tearDown() throws IOException {
        if (rig != null) {
            rig.close();
        }
    }

    private void open(DriverCase d) throws IOException {
        rig = HostileRig.open(d, Duration.ofSeconds(2), o -> o);
        hostile = rig.hostile;
        modem = rig.modem;
    }

    /** The modem works again: a fresh socket moves 4 KiB both ways, SHA-256 checked, and a command is answered. */
    private void assertRecovered() throws Exception {
        rig.assertEchoWorks();
        assertTrue(modem.execute("AT").isOk(), "AT not answered after recovery");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EDM")
    void aFrameAnnouncing0xFFFFBytesFailsTheCommandAndIsNeverBuffered(DriverCase d) throws Exception {
        open(d);
        // The length field's top bits are reserved, the largest real frame is 0xFFC: 0xFFFF is a lie, followed by
        // a mebibyte that is not the promised frame.
        hostile.answerNext("AT\\+UMLA=1", concat(edmFrame(0x45, of("+UMLA:"), 0xFFFF), HostileBytes.endlessLine(MIB)));
        long before = rig.readerAllocated();
        IOException e = assertThrows(IOException.class, () -> modem.execute("AT+UMLA=1"));
        long allocated = rig.readerAllocated() - before;
        assertTrue(e.getMessage().contains("AT+UMLA=1"), e.getMessage());
        System.out.println(d + ": the reader allocated " + allocated + " B for a 0xFFFF frame and 1 MiB after it");
        assertTrue(allocated < MIB / 4, "the reader thread allocated " + allocated + " bytes");
        hostile.inject(of("\r\n"));
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EDM")
    void aTruncatedFrameFailsTheCommandAndThenTheModemWorks(DriverCase d) throws Exception {
        open(d);
        byte[] whole = edmAt("\r\n+UMLA:0123456789AB\r\nOK\r\n");
        hostile.answerNext("AT\\+UMLA=1", java.util.Arrays.copyOf(whole, 12));   // the rest never comes
        IOException e = assertThrows(IOException.class, () -> modem.execute("AT+UMLA=1"));
        assertTrue(e.getMessage().contains("AT+UMLA=1"), e.getMessage());
        assertRecoveredAfterOneLostAnswer();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EDM")
    void framesOfUnknownTypesAreSkipped(DriverCase d) throws Exception {
        open(d);
        for (int type : new int[] {0x00, 0x13, 0x46, 0x99, 0xFF}) {
            hostile.inject(edmFrame(type, of("\r\nOK\r\n+UUDPC: 1\r\n"), -1));
        }
        hostile.injectAfterNext("AT", edmFrame(0x7E, HostileBytes.nulFlood(3000), -1));
        assertTrue(modem.execute("AT").isOk());
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EDM")
    void garbageBetweenFramesIsDroppedWithoutBuffering(DriverCase d) throws Exception {
        open(d);
        long before = rig.readerAllocated();
        hostile.inject(concat(HostileBytes.invalidUtf8Line(), of("\u0001\u0002\u001b[2J\u00ff\u00fe"),
                HostileBytes.nulFlood(MIB), of("\r\n"), edmFrame(0x55, new byte[0], -1), of("\u0055\u0055")));
        hostile.inject(edmAt("\r\nOK\r\n"));   // an answer to nothing
        assertTrue(modem.execute("AT").isOk());
        long allocated = rig.readerAllocated() - before;
        System.out.println(d + ": the reader allocated " + allocated + " B for 1 MiB of garbage between frames");
        assertTrue(allocated < MIB / 4, "the reader thread allocated " + allocated + " bytes for 1 MiB of garbage");
        assertRecovered();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EDM")
    void dataOnAChannelNoConnectEventOpenedIsDropped(DriverCase d) throws Exception {
        open(d);
        // 8 MiB on channels that were never opened (0 is the one the next socket is likely to get): before the fix
        // the driver kept all of it, waiting for a socket that never comes.
        byte[] chunk = new byte[4000];
        java.util.Arrays.fill(chunk, (byte) 'X');
        for (int i = 0; i < 2048; i++) {
            hostile.inject(edmFrame(0x31, concat(new byte[] {(byte) (i % 3 == 0 ? 0 : 9)}, chunk), -1));
        }
        assertTrue(modem.execute("AT").isOk());
        assertRecovered();   // the echo's SHA-256 proves no stray 'X' reached the new socket
    }

    /** A truncated frame may swallow the start of the next answer: at most one more command fails, then all works. */
    private void assertRecoveredAfterOneLostAnswer() throws Exception {
        try {
            modem.execute("AT");
        } catch (IOException lost) {
            assertTrue(lost.getMessage().contains("AT"), lost.getMessage());
        }
        assertRecovered();
    }
}
