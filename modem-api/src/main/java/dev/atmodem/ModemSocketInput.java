package dev.atmodem;

import dev.atmodem.socket.SocketHandle;

import java.io.IOException;
import java.io.InputStream;

/** The input stream of a {@link ModemSocket}; honours SO_TIMEOUT; closing it closes the socket, as in java.net. */
final class ModemSocketInput extends InputStream {

    private final ModemSocket socket;
    private final SocketHandle handle;

    ModemSocketInput(ModemSocket socket, SocketHandle handle) {
        this.socket = socket;
        this.handle = handle;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return handle.read(b, off, len, socket.soTimeoutMillis());
    }

    @Override
    public int available() throws IOException {
        if (socket.isClosed()) {
            throw new java.net.SocketException("Socket closed");
        }
        return handle.available();
    }

    @Override
    public void close() {
        socket.close();
    }
}
