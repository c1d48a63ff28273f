package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The EDM packet codec against the byte layouts of AT-REFERENCE §4C. */
class EdmFrameTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void atRequestIsTheReferenceExample() {
        // §4C: "AT" as an AT request is AA 00 04 00 44 41 54 55
        byte[] wire = EdmFrame.at(EdmFrame.AT_REQUEST, "AT".getBytes(StandardCharsets.US_ASCII)).encode();
        assertArrayEquals(bytes(0xAA, 0x00, 0x04, 0x00, 0x44, 0x41, 0x54, 0x55), wire);
    }

    @Test
    void dataCommandCarriesItsChannelAndCountsIt() {
        // §4C, ubxlib: AA, (n+3)>>8, (n+3)&FF, 00, 36, ch, data..., 55
        byte[] wire = EdmFrame.onChannel(EdmFrame.DATA_COMMAND, 3, bytes(0x01, 0x02)).encode();
        assertArrayEquals(bytes(0xAA, 0x00, 0x05, 0x00, 0x36, 0x03, 0x01, 0x02, 0x55), wire);
    }

    @Test
    void disconnectEventIsChannelOnly() {
        assertArrayEquals(bytes(0xAA, 0x00, 0x03, 0x00, 0x21, 0x07, 0x55),
                EdmFrame.onChannel(EdmFrame.DISCONNECT_EVENT, 7, new byte[0]).encode());
    }

    @Test
    void longestPacketAndNoLonger() {
        int max = EdmFrame.maxData(EdmFrame.DATA_COMMAND);
        assertEquals(0xFFC - 3, max);
        byte[] wire = EdmFrame.onChannel(EdmFrame.DATA_COMMAND, 0, new byte[max]).encode();
        assertEquals(0x0F, wire[1]);
        assertEquals((byte) 0xFC, wire[2]);
        assertThrows(IllegalArgumentException.class,
                () -> EdmFrame.onChannel(EdmFrame.DATA_COMMAND, 0, new byte[max + 1]));
        assertThrows(IllegalArgumentException.class, () -> EdmFrame.at(EdmFrame.DATA_EVENT, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> EdmFrame.onChannel(EdmFrame.AT_EVENT, 1, new byte[1]));
    }

    private static List<EdmFrame> sample(Random rnd) {
        List<EdmFrame> frames = new ArrayList<>();
        frames.add(EdmFrame.at(EdmFrame.START_EVENT, new byte[0]));
        frames.add(EdmFrame.at(EdmFrame.AT_RESPONSE, "\r\nOK\r\n".getBytes(StandardCharsets.US_ASCII)));
        for (int i = 0; i < 20; i++) {
            // data full of start and stop bytes: only the length frames it
            byte[] d = new byte[rnd.nextInt(300)];
            for (int j = 0; j < d.length; j++) {
                d[j] = (byte) (rnd.nextBoolean() ? 0xAA : rnd.nextBoolean() ? 0x55 : rnd.nextInt(256));
            }
            frames.add(EdmFrame.onChannel(EdmFrame.DATA_EVENT, rnd.nextInt(8), d));
        }
        frames.add(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, 0, new byte[EdmFrame.maxData(EdmFrame.DATA_COMMAND)]));
        return frames;
    }

    @Test
    void decodesWholeByteByByteAndInRandomPieces() {
        Random rnd = new Random(5);
        List<EdmFrame> frames = sample(rnd);
        byte[] wire = EdmFrame.encodeAll(frames);
        for (int mode = 0; mode < 3; mode++) {
            List<EdmFrame> got = new ArrayList<>();
            EdmDecoder d = new EdmDecoder(got::add);
            int off = 0;
            while (off < wire.length) {
                int n = mode == 0 ? wire.length : mode == 1 ? 1 : 1 + rnd.nextInt(50);
                n = Math.min(n, wire.length - off);
                d.accept(wire, off, n);
                off += n;
            }
            assertEquals(frames, got, "mode " + mode);
            assertEquals(0, d.discarded());
        }
    }

    @Test
    void resynchronisesAfterGarbageABadStopByteAndABadLength() {
        EdmFrame good = EdmFrame.at(EdmFrame.AT_REQUEST, "AT".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(bytes(0x00, 0xFF, 0x13));                          // noise
        wire.writeBytes(good.encode());
        wire.writeBytes(bytes(0xAA, 0x00, 0x04, 0x00, 0x44, 0x41, 0x54, 0x00)); // stop byte wrong: dropped
        wire.writeBytes(bytes(0xAA, 0x00, 0x01));                          // length below 2: dropped
        wire.writeBytes(good.encode());
        List<EdmFrame> got = new ArrayList<>();
        EdmDecoder d = new EdmDecoder(got::add);
        byte[] all = wire.toByteArray();
        d.accept(all, 0, all.length);
        assertEquals(List.of(good, good), got);
        assertTrue(d.discarded() > 0);
    }

    @Test
    void aPacketCutShortCostsOnlyItself() {
        EdmFrame good = EdmFrame.at(EdmFrame.AT_REQUEST, "AT".getBytes(StandardCharsets.US_ASCII));
        byte[] cut = Arrays.copyOf(EdmFrame.at(EdmFrame.AT_REQUEST, "AT+GMM\r".getBytes(StandardCharsets.US_ASCII))
                .encode(), 4);
        // (a cut whose announced length happens to end on a later 0x55 passes for a packet: length framing cannot
        // tell; the module's AT parser then sees a garbled line, as it would on a real line)
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(cut);               // the rest of this packet was lost on the line
        wire.writeBytes(good.encode());     // its length would swallow this one without re-synchronisation
        wire.writeBytes(good.encode());
        List<EdmFrame> got = new ArrayList<>();
        EdmDecoder d = new EdmDecoder(got::add);
        byte[] all = wire.toByteArray();
        for (byte b : all) {
            d.accept(b);
        }
        assertEquals(List.of(good, good), got);
        assertEquals(cut.length, d.discarded());
    }

    @Test
    void reservedLengthBitsAreIgnored() {
        byte[] wire = bytes(0xAA, 0xF0, 0x04, 0x00, 0x44, 0x41, 0x54, 0x55);
        List<EdmFrame> got = new ArrayList<>();
        new EdmDecoder(got::add).accept(wire, 0, wire.length);
        assertEquals(List.of(EdmFrame.at(EdmFrame.AT_REQUEST, "AT".getBytes(StandardCharsets.US_ASCII))), got);
    }

    @Test
    void aChannelTypeWithoutItsChannelIsDropped() {
        byte[] wire = bytes(0xAA, 0x00, 0x02, 0x00, 0x36, 0x55);
        List<EdmFrame> got = new ArrayList<>();
        EdmDecoder d = new EdmDecoder(got::add);
        d.accept(wire, 0, wire.length);
        assertTrue(got.isEmpty());
        assertEquals(6, d.discarded());
    }
}
