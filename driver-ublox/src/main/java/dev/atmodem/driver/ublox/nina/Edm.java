package dev.atmodem.driver.ublox.nina;

import java.io.ByteArrayOutputStream;

/**
 * The u-connectXpress Extended Data Mode frame (AT-REFERENCE §4C): {@code 0xAA, len_hi, len_lo, 0x00, type,
 * [channel,] data..., 0x55}, where the length counts the two id/type bytes and everything after them up to the end
 * marker. Frame building only; decoding is {@link EdmDecoder}.
 */
final class Edm {

    static final int START = 0xAA;
    static final int END = 0x55;

    static final int CONNECT_EVENT = 0x11;
    static final int DISCONNECT_EVENT = 0x21;
    static final int DATA_EVENT = 0x31;
    static final int DATA_COMMAND = 0x36;
    static final int AT_EVENT = 0x41;
    static final int AT_REQUEST = 0x44;
    static final int AT_RESPONSE = 0x45;
    static final int START_EVENT = 0x71;

    /** The largest length field ubxlib accepts (U_SHORT_RANGE_EDM_MAX_SIZE, §4C). */
    static final int MAX_LENGTH = 0xFFC;

    private Edm() {
    }

    /** An AT-request frame carrying one command line (without its CR, as the §4C example {@code AT}). */
    static byte[] atRequest(byte[] text, int off, int len) {
        return frame(AT_REQUEST, -1, text, off, len);
    }

    /** A data-command frame: {@code data} for the peer on {@code channel}. */
    static byte[] dataCommand(int channel, byte[] data, int off, int len) {
        return frame(DATA_COMMAND, channel, data, off, len);
    }

    /** Any frame; {@code channel} -1 for the types that have none. */
    static byte[] frame(int type, int channel, byte[] data, int off, int len) {
        int length = 2 + (channel >= 0 ? 1 : 0) + len;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("an EDM frame holds at most " + MAX_LENGTH + " bytes, not " + length);
        }
        ByteArrayOutputStream f = new ByteArrayOutputStream(length + 4);
        f.write(START);
        f.write(length >> 8);
        f.write(length & 0xff);
        f.write(0x00);
        f.write(type);
        if (channel >= 0) {
            f.write(channel);
        }
        f.write(data, off, len);
        f.write(END);
        return f.toByteArray();
    }

    /** The payload room of one data-command frame. */
    static int maxData() {
        return MAX_LENGTH - 3;
    }

    static String typeName(int type) {
        return switch (type) {
            case CONNECT_EVENT -> "connect event";
            case DISCONNECT_EVENT -> "disconnect event";
            case DATA_EVENT -> "data event";
            case DATA_COMMAND -> "data command";
            case AT_EVENT -> "AT event";
            case AT_REQUEST -> "AT request";
            case AT_RESPONSE -> "AT response";
            case START_EVENT -> "start event";
            default -> String.format("type 0x%02x", type);
        };
    }
}
