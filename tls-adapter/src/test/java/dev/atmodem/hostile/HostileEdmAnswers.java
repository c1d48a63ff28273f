package dev.atmodem.hostile;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.atmodem.testkit.hostile.HostileBytes;
import dev.atmodem.testkit.hostile.HostileModem.Reaction;

import java.io.ByteArrayOutputStream;

/**
 * The NINA-W counterpart of {@link HostileAnswers}: in data mode NINA wraps its AT answers in EDM AT frames and
 * socket data in EDM data frames, so the fuzzer's reactions are frames - real-shaped AT text in an AT response or event
 * frame, data/connect/disconnect events on fuzzed channels, frames of unknown types, lying length fields (up to
 * 0xFFFF), truncated frames - and raw bytes between frames. Before {@code ATO2} the same bytes are plain noise.
 */
final class HostileEdmAnswers {

    private static final int[] TYPES = {0x11, 0x21, 0x31, 0x36, 0x41, 0x44, 0x45, 0x71};

    private HostileEdmAnswers() {
    }

    static Reaction next(FuzzedDataProvider data) {
        if (data.remainingBytes() == 0) {
            return Reaction.PASS;
        }
        int kind = data.consumeInt(0, 11);
        return switch (kind) {
            case 8 -> Reaction.replace(frames(data));
            case 9, 10 -> Reaction.thenInject(frames(data));
            case 11 -> Reaction.thenInject(data.consumeBytes(data.consumeInt(0, 96)));
            default -> Reaction.PASS;
        };
    }

    private static byte[] frames(FuzzedDataProvider data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = data.consumeInt(1, 3);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            out.writeBytes(frame(data));
        }
        return out.toByteArray();
    }

    private static byte[] frame(FuzzedDataProvider data) {
        int type = data.consumeBoolean() ? TYPES[data.consumeInt(0, TYPES.length - 1)] : data.consumeInt(0, 255);
        byte[] body;
        switch (data.consumeInt(0, 2)) {
            case 0 -> {   // AT text, as an answer or a URC
                body = HostileAnswers.lines(data);
                type = data.consumeBoolean() ? 0x45 : 0x41;
            }
            case 1 -> {   // an event or data on a (possibly nonexistent) channel
                body = HostileBytes.concat(new byte[] {(byte) data.consumeInt(0, 8)},
                        data.consumeBytes(data.consumeInt(0, 700)));
            }
            default -> body = data.consumeBytes(data.consumeInt(0, 64));
        }
        int length = switch (data.consumeInt(0, 5)) {
            case 0 -> 0xFFFF;
            case 1 -> data.consumeInt(0, 0xFFFF);
            default -> -1;
        };
        byte[] f = HostileBytes.edmFrame(type, body, length);
        if (data.consumeInt(0, 7) == 0) {   // cut short: the rest never comes, or comes as the next frame
            f = java.util.Arrays.copyOf(f, data.consumeInt(0, f.length));
        }
        return f;
    }
}
