package dev.atmodem.testkit.sim;

import java.util.Arrays;

/** A growable FIFO of bytes: a modem socket's receive buffer. Not thread-safe (used under the simulator lock). */
public final class ByteQueue {

    private byte[] buf = new byte[256];
    private int head;
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void add(byte[] b) {
        if (size + b.length > buf.length || head + size + b.length > buf.length) {
            byte[] n = new byte[Math.max(buf.length, Integer.highestOneBit(size + b.length) * 2)];
            System.arraycopy(buf, head, n, 0, size);
            buf = n;
            head = 0;
        }
        System.arraycopy(b, 0, buf, head + size, b.length);
        size += b.length;
    }

    /** Removes and returns up to {@code max} bytes. */
    public byte[] take(int max) {
        int n = Math.min(max, size);
        byte[] out = Arrays.copyOfRange(buf, head, head + n);
        head += n;
        size -= n;
        if (size == 0) {
            head = 0;
        }
        return out;
    }

    public void clear() {
        head = 0;
        size = 0;
    }
}
