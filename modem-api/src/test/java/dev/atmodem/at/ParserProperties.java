package dev.atmodem.at;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The parser's safety properties, shared by the Jazzer fuzz tests and the seeded random run in the normal suite.
 * Inputs are driven by a source of numbers so that both a fuzzer and a seeded Random can steer them.
 */
final class ParserProperties {

    static final int MAX_LINE = 256;
    static final int MAX_PAYLOAD = 2048;
    /** Appears only inside framed payloads, never in noise: a line containing it means payload leaked into lines. */
    static final byte POISON = 'Z';
    private static final byte[] PAYLOAD_ALPHABET = {POISON, '\r', '\n', 0, 0x1a, '+', '>', '@', 'O', 'K', '"', ' '};

    private ParserProperties() {
    }

    /**
     * Arbitrary bytes, with every rule kind registered and prompts armed, fed in arbitrary pieces: the parser must not
     * throw, and nothing it delivers may exceed its limits.
     */
    static void arbitraryBytesStayBounded(byte[] data, IntUnaryOperator pieceSize) {
        List<String> problems = new ArrayList<>();
        AtParser p = new AtParser(new AtParser.Listener() {
            @Override
            public void line(String line, byte[] payload) {
                if (line.length() > MAX_LINE + 1) {
                    problems.add("line of " + line.length());
                }
                if (payload != null && payload.length > MAX_PAYLOAD) {
                    problems.add("payload of " + payload.length);
                }
            }

            @Override
            public void prompt(char prompt) {
                if (prompt != '>' && prompt != '@') {
                    problems.add("prompt " + prompt);
                }
            }

            @Override
            public void malformed(String description) {
                if (description == null || description.isEmpty()) {
                    problems.add("empty malformed description");
                }
            }
        }, MAX_LINE, MAX_PAYLOAD);
        p.addPayloadRule(PayloadRule.afterLine("\\+QIRD: (-?\\d+)", 1));
        p.addPayloadRule(PayloadRule.afterLine("\\+RECEIVE,\\d+,(\\d*):", 1));
        p.addPayloadRule(PayloadRule.inline("\\+USORD: \\d+,(\\d+),\"", 1, '"', "\""));
        p.armPrompt(">@");
        feed(p, data, pieceSize);
        if (!problems.isEmpty()) {
            throw new AssertionError("parser broke its bounds: " + problems);
        }
    }

    /**
     * Noise lines (never containing '+' or the poison byte) interleaved with well-framed payloads made of the poison
     * byte, line ends, NUL and Ctrl-Z: every payload must come out whole and in order, and no line may contain the
     * poison byte.
     */
    static void payloadBytesNeverBecomeLines(IntUnaryOperator source, int segments) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<byte[]> framed = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
            int noise = source.applyAsInt(40);
            for (int i = 0; i < noise; i++) {
                int b = source.applyAsInt(256);
                if (b != '+' && b != POISON) {
                    stream.write(b);
                }
            }
            int len = source.applyAsInt(300);
            byte[] payload = new byte[len];
            for (int i = 0; i < len; i++) {
                payload[i] = PAYLOAD_ALPHABET[source.applyAsInt(PAYLOAD_ALPHABET.length)];
            }
            framed.add(payload);
            stream.writeBytes(("\r\n+QIRD: " + len + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            stream.writeBytes(payload);
            stream.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        List<byte[]> got = new ArrayList<>();
        List<String> leaked = new ArrayList<>();
        AtParser p = new AtParser(new AtParser.Listener() {
            @Override
            public void line(String line, byte[] payload) {
                if (payload != null) {
                    got.add(payload);
                } else if (line.indexOf(POISON) >= 0) {
                    leaked.add(line);
                }
            }

            @Override
            public void prompt(char prompt) {
                throw new AssertionError("no prompt is armed");
            }

            @Override
            public void malformed(String description) {
                // over-long noise lines are reported and skipped; that is allowed
            }
        }, MAX_LINE, MAX_PAYLOAD);
        p.addPayloadRule(PayloadRule.afterLine("\\+QIRD: (\\d+)", 1));
        feed(p, stream.toByteArray(), n -> 1 + source.applyAsInt(Math.max(1, n)));
        if (!leaked.isEmpty()) {
            throw new AssertionError("payload bytes were delivered as lines: " + leaked);
        }
        if (got.size() != framed.size()) {
            throw new AssertionError("expected " + framed.size() + " payloads, got " + got.size());
        }
        for (int i = 0; i < framed.size(); i++) {
            if (!Arrays.equals(framed.get(i), got.get(i))) {
                throw new AssertionError("payload " + i + " differs");
            }
        }
    }

    private static void feed(AtParser p, byte[] data, IntUnaryOperator pieceSize) {
        int i = 0;
        while (i < data.length) {
            int n = Math.max(1, Math.min(data.length - i, pieceSize.applyAsInt(64)));
            p.feed(data, i, n);
            i += n;
        }
    }
}
