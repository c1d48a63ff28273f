package dev.atmodem;

import dev.atmodem.socket.SocketHandle;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The output stream of a {@link ModemSocket}. Unbuffered: each write returns once the modem accepted every byte, so
 * callers that write small pieces should wrap it in a {@link java.io.BufferedOutputStream} (TLS layers write whole
 * records already).
 */
final class ModemSocketOutput extends OutputStream {

    private final ModemSocket socket;
    private final SocketHandle handle;

    ModemSocketOutput(ModemSocket socket, SocketHandle handle) {
        this.socket = socket;
        this.handle = handle;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len > 0) {
            handle.write(b, off, len);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
