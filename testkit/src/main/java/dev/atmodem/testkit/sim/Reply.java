package dev.atmodem.testkit.sim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer a dialect builds for one command: information lines, raw bytes, pauses, a final result, or a prompt
 * that switches the line to payload mode. The framework writes it after the handler returns, so a pause does not hold
 * the simulator's lock and URCs can land in it, as they do on real modems.
 */
public final class Reply {

    /** Called with the payload once the host has sent it; builds the rest of the answer. */
    @FunctionalInterface
    public interface PayloadHandler {
        void payload(byte[] data, boolean cancelled, Reply reply);
    }

    sealed interface Part permits Bytes, Pause, Cme, Action {
    }

    record Bytes(byte[] bytes) implements Part {
    }

    record Pause(long millis) implements Part {
    }

    record Cme(int code) implements Part {
    }

    /** Runs under the simulator lock once everything before it has been queued for the host. */
    record Action(Runnable action) implements Part {
    }

    static final byte[] CRLF = {'\r', '\n'};

    private final List<Part> parts = new ArrayList<>();
    private PayloadSpec payloadSpec;
    private byte[] promptBytes;
    private PayloadHandler payloadHandler;
    private long promptGuardMillis;

    /** An information line, framed {@code \r\n<text>\r\n}. */
    public Reply line(String text) {
        return raw(frame(text));
    }

    /** Bytes exactly as given. */
    public Reply raw(byte[] bytes) {
        parts.add(new Bytes(bytes.clone()));
        return this;
    }

    public Reply raw(String latin1) {
        return raw(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    public Reply ok() {
        return line("OK");
    }

    /** A plain {@code ERROR} regardless of {@code AT+CMEE}. */
    public Reply error() {
        return line("ERROR");
    }

    /** {@code ERROR}, {@code +CME ERROR: <n>} or {@code +CME ERROR: <text>} according to the current CMEE mode. */
    public Reply cmeError(int code) {
        parts.add(new Cme(code));
        return this;
    }

    /** Holds the rest of the answer back, e.g. a context activation that takes a network round trip. */
    public Reply pause(long millis) {
        if (millis > 0) {
            parts.add(new Pause(millis));
        }
        return this;
    }

    /** Runs {@code action} after the preceding parts are queued, e.g. a reboot right after its {@code OK}. */
    public Reply then(Runnable action) {
        parts.add(new Action(action));
        return this;
    }

    /** Sends {@code prompt} and reads a payload as {@code spec} says; {@code handler} answers it. Must come last. */
    public Reply prompt(byte[] prompt, PayloadSpec spec, PayloadHandler handler) {
        this.promptBytes = prompt.clone();
        this.payloadSpec = spec;
        this.payloadHandler = handler;
        return this;
    }

    /**
     * The modem is not ready for the payload until {@code millis} after the prompt is on the wire: bytes the host sends
     * earlier are lost (u-blox asks for 50 ms after {@code @}, QUIRKS 2). Use after {@link #prompt}.
     */
    public Reply promptGuard(long millis) {
        this.promptGuardMillis = Math.max(0, millis);
        return this;
    }

    long promptGuardMillis() {
        return promptGuardMillis;
    }

    List<Part> parts() {
        return parts;
    }

    byte[] promptBytes() {
        return promptBytes;
    }

    PayloadSpec payloadSpec() {
        return payloadSpec;
    }

    PayloadHandler payloadHandler() {
        return payloadHandler;
    }

    /** {@code \r\n<text>\r\n} in ISO-8859-1 (modems speak bytes, not UTF-8). */
    public static byte[] frame(String text) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(text.length() + 4);
        b.writeBytes(CRLF);
        b.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(CRLF);
        return b.toByteArray();
    }
}
