package dev.atmodem.testkit.sim.nina;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads EDM packets byte by byte (§4C). A byte outside a packet that is not {@code 0xAA}, a length below 2 or above
 * {@link EdmFrame#MAX_LENGTH}, or a packet whose stop byte is not {@code 0x55} is skipped, and reading resumes at the
 * next {@code 0xAA}: a module re-synchronises the same way (the start and stop bytes exist for that). A packet
 * whose type needs a channel but has none is dropped. Both sides use it: the simulator for the host's packets, tests
 * for the module's.
 */
public final class EdmDecoder {

    private enum State { IDLE, LEN_HI, LEN_LO, BODY, STOP }

    private final Consumer<EdmFrame> sink;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private State state = State.IDLE;
    private int length;
    private long discarded;

    public EdmDecoder(Consumer<EdmFrame> sink) {
        this.sink = sink;
    }

    /** Bytes skipped so far while looking for a valid packet. */
    public long discarded() {
        return discarded;
    }

    public void accept(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            accept(b[i]);
        }
    }

    public void accept(byte x) {
        int b = x & 0xFF;
        switch (state) {
            case IDLE -> {
                if (b == EdmFrame.START) {
                    state = State.LEN_HI;
                } else {
                    discarded++;
                }
            }
            case LEN_HI -> {
                length = (b & 0x0F) << 8;   // the top four bits are reserved
                state = State.LEN_LO;
            }
            case LEN_LO -> {
                length |= b;
                if (length < 2 || length > EdmFrame.MAX_LENGTH) {
                    discarded += 3;
                    state = State.IDLE;
                } else {
                    body.reset();
                    state = State.BODY;
                }
            }
            case BODY -> {
                body.write(b);
                if (body.size() == length) {
                    state = State.STOP;
                }
            }
            case STOP -> {
                state = State.IDLE;
                if (b != EdmFrame.STOP) {
                    discarded += 4 + length;
                    if (b == EdmFrame.START) {
                        discarded--;
                        state = State.LEN_HI;   // the bad packet was cut short; this may start the next one
                    }
                    return;
                }
                deliver(body.toByteArray());
            }
        }
    }

    private void deliver(byte[] p) {
        int type = p[1] & 0xFF;
        if (EdmFrame.hasChannel(type)) {
            if (p.length < 3) {
                discarded += p.length + 4;
                return;
            }
            sink.accept(EdmFrame.onChannel(type, p[2] & 0xFF, Arrays.copyOfRange(p, 3, p.length)));
        } else {
            sink.accept(EdmFrame.at(type, Arrays.copyOfRange(p, 2, p.length)));
        }
    }
}
