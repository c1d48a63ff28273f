package dev.atmodem.driver.ublox.nina;

import java.io.ByteArrayOutputStream;

/**
 * Splits the bytes a u-connectXpress module sends into EDM frames, incrementally (a frame may arrive one byte at a
 * time). Bytes outside any frame are the module speaking plain AT (before {@code ATO2}, or its {@code +STARTUP} banner
 * after a restart, which always comes up in command mode): they are reported as text. A frame whose length or end
 * marker is wrong is dropped and the decoder looks for the next start byte, so one corrupted frame costs one frame.
 */
final class EdmDecoder {

    /** Where decoded frames and stray text go. */
    interface Sink {
        /** A complete frame: its type and the bytes after the type (channel first, for channel-based types). */
        void frame(int type, byte[] body);

        /** Bytes outside any frame. */
        void text(byte b);

        /** A frame was dropped. */
        void malformed(String why);
    }

    private enum State { OUTSIDE, LEN_HI, LEN_LO, BODY, END }

    private final Sink sink;
    private State state = State.OUTSIDE;
    private int length;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    EdmDecoder(Sink sink) {
        this.sink = sink;
    }

    /** Feeds one byte; returns true when it completed a frame. */
    boolean feed(byte value) {
        int b = value & 0xff;
        switch (state) {
            case OUTSIDE -> {
                if (b == Edm.START) {
                    state = State.LEN_HI;
                } else {
                    sink.text(value);
                }
            }
            case LEN_HI -> {
                length = b << 8;
                state = State.LEN_LO;
            }
            case LEN_LO -> {
                length |= b;
                if (length < 2 || length > Edm.MAX_LENGTH) {
                    sink.malformed("length " + length + " out of range");
                    state = State.OUTSIDE;
                } else {
                    body.reset();
                    state = State.BODY;
                }
            }
            case BODY -> {
                body.write(b);
                if (body.size() == length) {
                    state = State.END;
                }
            }
            case END -> {
                state = State.OUTSIDE;
                if (b != Edm.END) {
                    sink.malformed(String.format("end marker 0x%02x instead of 0x55 after %d bytes", b, length));
                    if (b == Edm.START) {
                        state = State.LEN_HI; // the lost frame's end may be the next frame's start
                    }
                    return false;
                }
                byte[] all = body.toByteArray();
                byte[] rest = new byte[all.length - 2];
                System.arraycopy(all, 2, rest, 0, rest.length);
                sink.frame(all[1] & 0xff, rest);
                return true;
            }
            default -> throw new IllegalStateException(state.toString());
        }
        return false;
    }

    /** Drops a partly received frame (its rest is not coming); returns true if there was one. */
    boolean abandon() {
        if (state == State.OUTSIDE) {
            return false;
        }
        sink.malformed("a frame stopped after " + (state == State.BODY || state == State.END ? body.size() : 0)
                + " of " + (state == State.BODY || state == State.END ? length : "?") + " bytes");
        state = State.OUTSIDE;
        body.reset();
        return true;
    }

    /** True between frames. */
    boolean idle() {
        return state == State.OUTSIDE;
    }
}
