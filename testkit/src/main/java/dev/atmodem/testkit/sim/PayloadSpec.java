package dev.atmodem.testkit.sim;

/**
 * What the modem reads after a prompt: exactly {@code length} bytes, or (when {@code length} is negative) bytes up to
 * a Ctrl+Z (0x1A) with ESC (0x1B) cancelling, at most {@code max}.
 */
public record PayloadSpec(int length, int max) {

    public static final byte CTRL_Z = 0x1A;
    public static final byte ESC = 0x1B;

    public static PayloadSpec exactly(int n) {
        return new PayloadSpec(n, n);
    }

    public static PayloadSpec untilCtrlZ(int max) {
        return new PayloadSpec(-1, max);
    }

    public boolean fixedLength() {
        return length >= 0;
    }
}
