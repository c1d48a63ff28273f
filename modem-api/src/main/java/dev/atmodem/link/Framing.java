package dev.atmodem.link;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How AT text travels on a {@link FramedLink}: plain (the default: the bytes are the text) or wrapped in a modem's
 * multiplexing frames (u-blox Extended Data Mode), where AT answers share the line with socket data. A framing turns
 * what the modem sends back into the text stream the AT parser reads, and hands everything else (socket data,
 * connection events) to whoever installed it. The AT parser, URC table and timeouts stay unchanged.
 */
public interface Framing {

    /**
     * Consumes bytes the modem sent and appends the AT text among them to {@code text}. May stop early, right after a
     * piece of text, and return how many bytes it used: the caller then hands the text to the parser before the
     * remaining bytes are decoded, so text and non-text events keep their order. Runs on the reader thread.
     */
    int decode(byte[] b, int off, int len, ByteArrayOutputStream text) throws IOException;

    /**
     * Writes AT text from the engine (a whole command, a payload, a single control byte) to the modem, wrapped as the
     * framing needs. Runs under the link's output lock, so frames never interleave.
     */
    void encode(byte[] b, int off, int len, OutputStream modem) throws IOException;

    /** No framing: bytes are text both ways. */
    Framing PLAIN = new Framing() {
        @Override
        public int decode(byte[] b, int off, int len, ByteArrayOutputStream text) {
            text.write(b, off, len);
            return len;
        }

        @Override
        public void encode(byte[] b, int off, int len, OutputStream modem) throws IOException {
            modem.write(b, off, len);
        }

        @Override
        public String toString() {
            return "plain";
        }
    };
}
