package dev.atmodem.link;

/** Renders bytes for logs: printable ASCII as is, control and non-ASCII bytes visibly ({@code \r}, {@code <00>}). */
public final class Printable {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {
    }

    public static String of(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len + 8);
        for (int i = off; i < off + len; i++) {
            appendByte(sb, b[i] & 0xff);
        }
        return sb.toString();
    }

    public static String of(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                sb.append(c);
            } else {
                appendByte(sb, c);
            }
        }
        return sb.toString();
    }

    /** Length plus a short hex preview, for binary payloads that must not flood the log. */
    public static String preview(byte[] b, int off, int len, int max) {
        StringBuilder sb = new StringBuilder().append(len).append(" bytes [");
        for (int i = 0; i < Math.min(len, max); i++) {
            int v = b[off + i] & 0xff;
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(HEX[v >> 4]).append(HEX[v & 15]);
        }
        return sb.append(len > max ? " ...]" : "]").toString();
    }

    private static void appendByte(StringBuilder sb, int v) {
        switch (v) {
            case '\r' -> sb.append("\\r");
            case '\n' -> sb.append("\\n");
            case '\\' -> sb.append("\\\\");
            default -> {
                if (v >= 0x20 && v < 0x7f) {
                    sb.append((char) v);
                } else {
                    sb.append('<').append(HEX[v >> 4]).append(HEX[v & 15]).append('>');
                }
            }
        }
    }
}
