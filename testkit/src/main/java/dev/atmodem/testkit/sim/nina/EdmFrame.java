package dev.atmodem.testkit.sim.nina;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * One u-connectXpress Extended Data Mode packet (AT-REFERENCE §4C):
 * {@code 0xAA | len_hi | len_lo | 0x00 | type | [channel] | data | 0x55}, big-endian, where {@code len} counts the
 * bytes from the id/type field to the end of the payload. The top four bits of the length are reserved (u-blox EDM
 * protocol specification: 12-bit length), so they are written as 0 and ignored on reading.
 *
 * @param type    the second id/type byte, one of the constants below
 * @param channel the channel for channel-based types (connect, disconnect, data), -1 for the others
 * @param data    what follows the type (and channel)
 */
public record EdmFrame(int type, int channel, byte[] data) {

    public static final int START = 0xAA;
    public static final int STOP = 0x55;
    public static final int CONNECT_EVENT = 0x11;
    public static final int DISCONNECT_EVENT = 0x21;
    public static final int DATA_EVENT = 0x31;
    public static final int DATA_COMMAND = 0x36;
    public static final int AT_REQUEST = 0x44;
    public static final int AT_RESPONSE = 0x45;
    public static final int AT_EVENT = 0x41;
    public static final int START_EVENT = 0x71;
    /** Largest {@code len} (ubxlib's {@code U_SHORT_RANGE_EDM_MAX_SIZE}, §4C). */
    public static final int MAX_LENGTH = 0xFFC;
    /** Connect event connection types (§4C). */
    public static final int CONN_IPV4 = 0x02;
    /** Connect event protocols (§4C; note +UUDPC says 6 for MQTT, EDM says 2). */
    public static final int PROTO_TCP = 0x00;

    public EdmFrame {
        data = data.clone();
        if ((channel >= 0) != hasChannel(type)) {
            throw new IllegalArgumentException("type 0x" + Integer.toHexString(type)
                    + (hasChannel(type) ? " needs" : " has no") + " channel");
        }
        if (channel > 0xFF) {
            throw new IllegalArgumentException("channel " + channel);
        }
        if (length(type, data.length) > MAX_LENGTH) {
            throw new IllegalArgumentException("EDM payload too long: " + length(type, data.length));
        }
    }

    /** True for the types whose payload starts with a channel byte. */
    public static boolean hasChannel(int type) {
        return type == CONNECT_EVENT || type == DISCONNECT_EVENT || type == DATA_EVENT || type == DATA_COMMAND;
    }

    private static int length(int type, int dataLength) {
        return 2 + (hasChannel(type) ? 1 : 0) + dataLength;
    }

    /** The most data bytes one frame of {@code type} can carry. */
    public static int maxData(int type) {
        return MAX_LENGTH - length(type, 0);
    }

    public static EdmFrame at(int type, byte[] text) {
        return new EdmFrame(type, -1, text);
    }

    public static EdmFrame onChannel(int type, int channel, byte[] data) {
        return new EdmFrame(type, channel, data);
    }

    /** The bytes on the wire. */
    public byte[] encode() {
        int len = length(type, data.length);
        ByteArrayOutputStream b = new ByteArrayOutputStream(len + 4);
        b.write(START);
        b.write(len >> 8);
        b.write(len & 0xFF);
        b.write(0x00);
        b.write(type);
        if (channel >= 0) {
            b.write(channel);
        }
        b.writeBytes(data);
        b.write(STOP);
        return b.toByteArray();
    }

    /** Several frames back to back, e.g. data cut into frame-sized pieces. */
    public static byte[] encodeAll(Iterable<EdmFrame> frames) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (EdmFrame f : frames) {
            b.writeBytes(f.encode());
        }
        return b.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdmFrame f && f.type == type && f.channel == channel && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + channel) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "EdmFrame[type=0x" + Integer.toHexString(type) + (channel >= 0 ? ", channel=" + channel : "")
                + ", " + data.length + " bytes]";
    }
}
