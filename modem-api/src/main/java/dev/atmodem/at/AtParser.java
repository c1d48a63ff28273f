package dev.atmodem.at;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Incremental AT parser: turns a byte stream into lines, prompts and length-framed payloads, however the bytes are
 * split across reads (QUIRKS 8). It keeps no knowledge of which command is running; the {@link AtEngine} classifies
 * the lines (echo, information, final result, URC).
 *
 * <ul>
 *   <li>A line ends at CR or LF; empty lines are dropped. NUL, 0xFF and other control bytes are line noise around
 *       reboots (QUIRKS 14) and are dropped from line text.</li>
 *   <li>A prompt ({@code > } for Quectel and SIMCom, {@code @} for u-blox) is recognised only at the start of a line and
 *       only while armed by a command that expects one (QUIRKS 2).</li>
 *   <li>A payload announced by a {@link PayloadRule} is taken by length alone (QUIRKS 3).</li>
 *   <li>Memory is bounded: lines longer than {@code maxLine} and payloads longer than {@code maxPayload} are reported as
 *       malformed and skipped, never buffered.</li>
 * </ul>
 *
 * Not thread-safe: one reader thread feeds it. Rules and the armed prompt may be changed from other threads.
 */
public final class AtParser {

    /** Receives parser events, on the feeding thread. */
    public interface Listener {
        /** A complete line; {@code payload} is the binary payload it announced, or null. */
        void line(String line, byte[] payload);

        void prompt(char prompt);

        /** Something that cannot be framed (an over-long line, an impossible payload length). */
        void malformed(String description);
    }

    public static final int DEFAULT_MAX_LINE = 4096;
    public static final int DEFAULT_MAX_PAYLOAD = 64 * 1024;

    private enum State { LINE, SKIP_LF_BEFORE_PAYLOAD, PAYLOAD, SUFFIX, DISCARD_LINE, SKIP_PROMPT_SPACE, SKIP_PAYLOAD }

    /**
     * An announced payload above {@code maxPayload} but at most this many times larger is skipped by its length (so
     * its bytes are not read as lines); anything larger is not believed and the bytes are read as lines.
     */
    private static final int SKIP_FACTOR = 16;

    private final Listener listener;
    private final int maxLine;
    private final int maxPayload;
    private final List<PayloadRule> rules = new CopyOnWriteArrayList<>();
    private final ByteBuf line;
    private volatile String armedPrompts = "";

    private State state = State.LINE;
    private String header;
    private byte[] payload;
    private int payloadFill;
    private String suffix = "";
    private int suffixPos;
    private long skipLeft;
    private boolean skipLfFirst;

    public AtParser(Listener listener) {
        this(listener, DEFAULT_MAX_LINE, DEFAULT_MAX_PAYLOAD);
    }

    public AtParser(Listener listener, int maxLine, int maxPayload) {
        this.listener = Objects.requireNonNull(listener, "listener");
        if (maxLine < 16 || maxPayload < 1) {
            throw new IllegalArgumentException("limits too small");
        }
        this.maxLine = maxLine;
        this.maxPayload = maxPayload;
        this.line = Unpooled.buffer(Math.min(256, maxLine), maxLine);
    }

    public void addPayloadRule(PayloadRule rule) {
        rules.add(Objects.requireNonNull(rule, "rule"));
    }

    /** Which prompt characters count right now ("" for none); set by the engine around prompt commands. */
    public void armPrompt(String promptChars) {
        armedPrompts = promptChars == null ? "" : promptChars;
    }

    public void feed(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case PAYLOAD -> {
                    int n = Math.min(end - i, payload.length - payloadFill);
                    System.arraycopy(b, i, payload, payloadFill, n);
                    payloadFill += n;
                    i += n;
                    if (payloadFill == payload.length) {
                        finishPayload();
                    }
                }
                case SKIP_LF_BEFORE_PAYLOAD -> {
                    state = State.PAYLOAD;
                    if (b[i] == '\n') {
                        i++;
                    }
                    if (payload.length == 0) {
                        finishPayload();
                    }
                }
                case SUFFIX -> {
                    if (suffixPos < suffix.length() && b[i] == suffix.charAt(suffixPos)) {
                        suffixPos++;
                        i++;
                        if (suffixPos == suffix.length()) {
                            state = State.LINE;
                        }
                    } else {
                        state = State.LINE;
                    }
                }
                case SKIP_PROMPT_SPACE -> {
                    state = State.LINE;
                    if (b[i] == ' ') {
                        i++;
                    }
                }
                case SKIP_PAYLOAD -> {
                    if (skipLfFirst) {
                        skipLfFirst = false;
                        if (b[i] == '\n') {
                            i++;
                            continue;
                        }
                    }
                    int n = (int) Math.min(end - i, skipLeft);
                    i += n;
                    skipLeft -= n;
                    if (skipLeft == 0) {
                        state = State.LINE;
                    }
                }
                case DISCARD_LINE -> {
                    if (b[i] == '\r' || b[i] == '\n') {
                        state = State.LINE;
                    }
                    i++;
                }
                case LINE -> {
                    lineByte(b[i] & 0xff);
                    i++;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private void lineByte(int v) {
        if (v == '\r' || v == '\n') {
            if (line.isReadable()) {
                endOfLine(v == '\r');
            }
            return;
        }
        if (!line.isReadable() && armedPrompts.indexOf(v) >= 0) {
            listener.prompt((char) v);
            if (v == '>') {
                state = State.SKIP_PROMPT_SPACE;
            }
            return;
        }
        if (v < 0x20 && v != '\t' || v == 0x7f || v == 0xff) {
            return;
        }
        if (v >= 0x80 && !line.isReadable()) {
            return; // AT lines start with ASCII; high bytes before them are reboot noise (QUIRKS 14)
        }
        if (line.readableBytes() >= maxLine) {
            line.clear();
            state = State.DISCARD_LINE;
            listener.malformed("a line longer than " + maxLine + " bytes without a line end");
            return;
        }
        line.writeByte(v);
        if (!rules.isEmpty()) {
            for (PayloadRule rule : rules) {
                if (rule.isInline() && rule.trigger() == v
                        && startPayload(rule, line.toString(StandardCharsets.ISO_8859_1), true)) {
                    return;
                }
            }
        }
    }

    private void endOfLine(boolean endedByCr) {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        for (PayloadRule rule : rules) {
            if (!rule.isInline() && startPayload(rule, text, false)) {
                if (state == State.SKIP_PAYLOAD) {
                    skipLfFirst = endedByCr;
                } else if (state == State.PAYLOAD) {
                    if (endedByCr) {
                        state = State.SKIP_LF_BEFORE_PAYLOAD;
                    } else if (payload.length == 0) {
                        finishPayload();
                    }
                }
                return;
            }
        }
        line.clear();
        listener.line(text, null);
    }

    /** Checks one rule against the current line; on a match switches to payload mode and returns true. */
    private boolean startPayload(PayloadRule rule, String text, boolean inline) {
        long n = rule.announcedLength(text);
        if (n < 0) {
            return false;
        }
        line.clear();
        if (n > maxPayload) {
            listener.malformed("the modem announced a payload of " + (n == Long.MAX_VALUE ? "an invalid number of"
                    : String.valueOf(n)) + " bytes (limit " + maxPayload + ") in '" + text + "'");
            if (n <= (long) maxPayload * SKIP_FACTOR) {
                skipLeft = n; // plausible but too big: skip it by length, never buffer it, never read it as lines
                state = State.SKIP_PAYLOAD;
            } else {
                state = inline ? State.DISCARD_LINE : State.LINE;
            }
            return true;
        }
        header = text;
        payload = new byte[(int) n];
        payloadFill = 0;
        suffix = inline ? rule.suffix() : "";
        suffixPos = 0;
        state = State.PAYLOAD;
        if (inline && n == 0) {
            finishPayload();
        }
        return true;
    }

    private void finishPayload() {
        String h = header;
        byte[] p = payload;
        header = null;
        payload = null;
        state = suffix.isEmpty() ? State.LINE : State.SUFFIX;
        listener.line(h, p);
    }
}
