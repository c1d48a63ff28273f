package dev.atmodem.testkit.sim.nina;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads EDM packets byte by byte (§4C). Bytes outside a packet that are not {@code 0xAA} are skipped. A candidate
 * packet with a length below 2 or above {@link EdmFrame#MAX_LENGTH}, or whose stop byte is not {@code 0x55}, is
 * abandoned and every byte after its {@code 0xAA} is looked at again, so a packet cut short (bytes lost on the line)
 * costs only itself and not the good packet that follows it: the start and stop bytes exist for this
 * re-synchronisation. A well-formed packet whose type needs a channel but has none is dropped. Both sides use it: the
 * simulator for the host's packets, tests for the module's.
 */
public final class EdmDecoder {

    private enum State { IDLE, LEN_HI, LEN_LO, BODY, STOP }

    private final Consumer<EdmFrame> sink;
    /** The candidate packet from its 0xAA on. */
    private final ByteArrayOutputStream candidate = new ByteArrayOutputStream();
    /** Bytes of an abandoned candidate, to be read again before new ones. */
    private final ArrayDeque<Byte> replay = new ArrayDeque<>();
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
        step(x);
        while (!replay.isEmpty()) {
            step(replay.pollFirst());
        }
    }

    private void step(byte x) {
        int b = x & 0xFF;
        if (state != State.IDLE) {
            candidate.write(b);
        }
        switch (state) {
            case IDLE -> {
                if (b == EdmFrame.START) {
                    candidate.reset();
                    candidate.write(b);
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
                    abandon();
                } else {
                    state = State.BODY;
                }
            }
            case BODY -> {
                if (candidate.size() == 3 + length) {
                    state = State.STOP;
                }
            }
            case STOP -> {
                if (b != EdmFrame.STOP) {
                    abandon();
                    return;
                }
                state = State.IDLE;
                byte[] c = candidate.toByteArray();
                candidate.reset();
                deliver(Arrays.copyOfRange(c, 3, 3 + length));
            }
        }
    }

    /** Drops the candidate's start byte and reads everything after it again. */
    private void abandon() {
        byte[] c = candidate.toByteArray();
        candidate.reset();
        state = State.IDLE;
        discarded++;
        for (int i = c.length - 1; i >= 1; i--) {
            replay.addFirst(c[i]);
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
