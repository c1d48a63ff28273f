package dev.atmodem.driver.ublox.nina;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The EDM codec against frames written out by hand from AT-REFERENCE §4C (not built with {@link Edm}), each fed whole,
 * one byte at a time and in random pieces.
 */
class EdmFramingTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** Records what the framing hands over, in order, text included. */
    private static final class Recorder implements EdmListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void connected(EdmConnect e) {
            events.add("connect " + e);
        }

        @Override
        public void disconnected(int channel) {
            events.add("disconnect " + channel);
        }

        @Override
        public void data(int channel, byte[] data) {
            events.add("data " + channel + " " + java.util.HexFormat.of().formatHex(data));
        }

        @Override
        public void started() {
            events.add("start");
        }
    }

    /** Decodes {@code in} cut into pieces by {@code cuts}, the way FramedLink drives a framing. */
    private static List<String> decode(byte[] in, int[] pieceSizes) {
        Recorder r = new Recorder();
        EdmFraming f = new EdmFraming("test", r);
        int pos = 0;
        int piece = 0;
        while (pos < in.length) {
            int n = Math.min(in.length - pos, pieceSizes[piece++ % pieceSizes.length]);
            int end = pos + n;
            while (pos < end) {
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                int used = f.decode(in, pos, end - pos, text);
                if (text.size() > 0) {
                    r.events.add("text " + text.toString(StandardCharsets.ISO_8859_1));
                }
                pos += used;
            }
        }
        return merge(r.events);
    }

    /** Adjacent text pieces joined (how they are split depends only on the cut). */
    private static List<String> merge(List<String> events) {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            if (e.startsWith("text ") && !out.isEmpty() && out.get(out.size() - 1).startsWith("text ")) {
                out.set(out.size() - 1, out.get(out.size() - 1) + e.substring(5));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private static void assertAllCuts(List<String> expected, byte[] in) {
        assertEquals(expected, decode(in, new int[] {in.length}), "fed whole");
        assertEquals(expected, decode(in, new int[] {1}), "fed one byte at a time");
        Random rnd = new Random(8);
        for (int round = 0; round < 20; round++) {
            int[] sizes = new int[16];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = 1 + rnd.nextInt(9);
            }
            assertEquals(expected, decode(in, sizes), "fed in random pieces");
        }
    }

    // AT response "\r\nOK\r\n": AA, len 00 08 (2 + 6), 00 45, text, 55
    private static final byte[] OK_RESPONSE = bytes(0xAA, 0x00, 0x08, 0x00, 0x45, '\r', '\n', 'O', 'K', '\r', '\n', 0x55);
    // AT event "\r\n+UUDPD:1\r\n": len 2 + 12 = 0x0E
    private static final byte[] UUDPD_EVENT = bytes(0xAA, 0x00, 0x0E, 0x00, 0x41,
            '\r', '\n', '+', 'U', 'U', 'D', 'P', 'D', ':', '1', '\r', '\n', 0x55);
    // Connect event, IPv4, TCP, remote 127.0.0.1:8080, local 192.168.1.10:49152, channel 3: len 2 + 14 + 1 = 0x11
    private static final byte[] CONNECT = bytes(0xAA, 0x00, 0x11, 0x00, 0x11, 0x03, 0x02, 0x00,
            127, 0, 0, 1, 0x1F, 0x90, 192, 168, 1, 10, 0xC0, 0x00, 0x55);
    // Data event on channel 3 with bytes that look like frame markers and line ends: AA 55 0D 0A 00
    private static final byte[] DATA = bytes(0xAA, 0x00, 0x08, 0x00, 0x31, 0x03, 0xAA, 0x55, 0x0D, 0x0A, 0x00, 0x55);
    private static final byte[] DISCONNECT = bytes(0xAA, 0x00, 0x03, 0x00, 0x21, 0x03, 0x55);
    private static final byte[] START = bytes(0xAA, 0x00, 0x02, 0x00, 0x71, 0x55);

    @Test
    void atResponsesAndEventsBecomeTextOtherFramesEvents() {
        byte[] in = concat(OK_RESPONSE, CONNECT, DATA, UUDPD_EVENT, DISCONNECT, START);
        assertAllCuts(List.of(
                "text \r\nOK\r\n",
                "connect EdmConnect[channel=3, connType=2, protocol=0, remote=127.0.0.1, remotePort=8080,"
                        + " local=192.168.1.10, localPort=49152]",
                "data 3 aa550d0a00",
                "text \r\n+UUDPD:1\r\n",
                "disconnect 3",
                "start"), in);
    }

    @Test
    void plainTextOutsideFramesPassesThrough_theModuleRestartedInCommandMode() {
        byte[] in = concat(DATA, "\r\n+STARTUP\r\n".getBytes(StandardCharsets.US_ASCII));
        assertAllCuts(List.of("data 3 aa550d0a00", "text \r\n+STARTUP\r\n"), in);
    }

    @Test
    void aFrameWithAWrongEndMarkerIsDroppedAndTheNextOneStillDecodes() {
        byte[] broken = DATA.clone();
        broken[broken.length - 1] = 0x00;
        byte[] in = concat(broken, OK_RESPONSE);
        assertAllCuts(List.of("text \r\nOK\r\n"), in);
    }

    @Test
    void anImpossibleLengthIsDropped() {
        byte[] in = concat(bytes(0xAA, 0x00, 0x01), OK_RESPONSE);
        // the length 1 is refused; its one stray byte would have been the type, so resync at the next 0xAA
        List<String> got = decode(in, new int[] {1});
        assertEquals("text \r\nOK\r\n", got.get(got.size() - 1));
    }

    @Test
    void commandsAreWrappedInAtRequestFramesOnceTheOutputIsFramed() throws Exception {
        EdmFraming f = new EdmFraming("test", new Recorder());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        f.encode("AT\r".getBytes(StandardCharsets.US_ASCII), 0, 3, wire);
        assertArrayEquals("AT\r".getBytes(StandardCharsets.US_ASCII), wire.toByteArray(), "plain before ATO2's OK");
        wire.reset();
        f.frameOutput(true);
        // written in two pieces, as an engine may; the ESC byte (end of a data prompt) has no meaning in EDM
        f.encode("A".getBytes(StandardCharsets.US_ASCII), 0, 1, wire);
        f.encode(new byte[] {'T', 0x1b, '\r'}, 0, 3, wire);
        // the §4C example: AT = AA 00 04 00 44 41 54 55
        assertArrayEquals(bytes(0xAA, 0x00, 0x04, 0x00, 0x44, 0x41, 0x54, 0x55), wire.toByteArray());
    }

    @Test
    void dataCommandFrameMatchesTheReferenceLayout() {
        // ubxlib: AA, (n+3)>>8, (n+3)&FF, 00, 36, ch, data..., 55
        byte[] frame = Edm.dataCommand(5, bytes(1, 2, 3), 0, 3);
        assertArrayEquals(bytes(0xAA, 0x00, 0x06, 0x00, 0x36, 0x05, 1, 2, 3, 0x55), frame);
        byte[] big = new byte[Edm.maxData()];
        assertEquals(Edm.MAX_LENGTH + 4, Edm.dataCommand(1, big, 0, big.length).length);
        assertThrows(IllegalArgumentException.class, () -> Edm.dataCommand(1, new byte[big.length + 1], 0,
                big.length + 1));
    }
}
