package dev.atmodem.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-memory link: a bounded byte queue with blocking ends, like the FIFO of a UART. A writer
 * blocks while it is full; a reader blocks while it is empty. {@link #closeWriter()} lets the reader drain and then see
 * end of stream; {@link #abort()} ends both sides at once.
 */
final class BytePipe {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ByteBuf buffer;
    private final int capacity;
    private boolean writerClosed;
    private boolean aborted;

    BytePipe(int capacity) {
        this.capacity = capacity;
        this.buffer = Unpooled.buffer(Math.min(capacity, 4096), capacity);
    }

    void write(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            while (len > 0) {
                if (aborted || writerClosed) {
                    throw new IOException("link closed");
                }
                int room = capacity - buffer.readableBytes();
                if (room == 0) {
                    awaitChange();
                    continue;
                }
                if (buffer.writableBytes() < Math.min(room, len)) {
                    buffer.discardReadBytes();
                }
                int n = Math.min(room, len);
                buffer.writeBytes(b, off, n);
                off += n;
                len -= n;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (!buffer.isReadable()) {
                if (aborted || writerClosed) {
                    return -1;
                }
                awaitChange();
            }
            int n = Math.min(len, buffer.readableBytes());
            buffer.readBytes(b, off, n);
            changed.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    int available() {
        lock.lock();
        try {
            return buffer.readableBytes();
        } finally {
            lock.unlock();
        }
    }

    void closeWriter() {
        lock.lock();
        try {
            writerClosed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void abort() {
        lock.lock();
        try {
            aborted = true;
            buffer.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange() throws InterruptedIOException {
        try {
            changed.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on the link");
        }
    }

    InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = BytePipe.this.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return BytePipe.this.read(b, off, len);
            }

            @Override
            public int available() {
                return BytePipe.this.available();
            }
        };
    }

    OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                BytePipe.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                BytePipe.this.write(b, off, len);
            }
        };
    }
}
