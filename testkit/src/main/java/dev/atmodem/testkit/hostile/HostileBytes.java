package dev.atmodem.testkit.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte strings a broken or hostile modem sends. */
public final class HostileBytes {

    /** One MiB: the "line without an end" of the hostile-input brief. */
    public static final int MIB = 1 << 20;

    private HostileBytes() {
    }

    /** {@code n} printable bytes with no CR or LF anywhere. */
    public static byte[] endlessLine(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('A' + i % 26);
        }
        return b;
    }

    /** {@code n} NUL bytes. */
    public static byte[] nulFlood(int n) {
        return new byte[n];
    }

    /** A CRLF-framed line that is not valid UTF-8 (lone continuation bytes, an overlong form, a bare lead byte). */
    public static byte[] invalidUtf8Line() {
        return new byte[] {'\r', '\n', '+', 'C', 'S', 'Q', ':', ' ', (byte) 0x80, (byte) 0xBF, (byte) 0xC0,
            (byte) 0xAF, (byte) 0xE2, (byte) 0x28, (byte) 0xA1, (byte) 0xFE, '\r', '\n'};
    }

    /** {@code text} as ISO-8859-1 bytes, for hand-written answers ({@code "\r\n+QIRD: 2147483647\r\n"}). */
    public static byte[] of(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The concatenation of the parts. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = Arrays.copyOf(parts.length == 0 ? new byte[0] : parts[0], n);
        int at = parts.length == 0 ? 0 : parts[0].length;
        for (int i = 1; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
        }
        return out;
    }

    /**
     * A u-connectXpress EDM frame as a module would send it, with any {@code type} byte and a length field that may
     * lie: {@code AA, length >> 8, length, 00, type, body..., 55}. {@code length} -1 means the true one (2 + body).
     */
    public static byte[] edmFrame(int type, byte[] body, int length) {
        int len = length < 0 ? 2 + body.length : length;
        return concat(new byte[] {(byte) 0xAA, (byte) (len >> 8), (byte) len, 0, (byte) type}, body,
                new byte[] {0x55});
    }

    /** An EDM AT-response frame (type 0x45) carrying {@code text}, as NINA answers commands in data mode. */
    public static byte[] edmAt(String text) {
        return edmFrame(0x45, of(text), -1);
    }
}
