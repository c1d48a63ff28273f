package dev.atmodem.at;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One AT command and how to recognise its answer: the prefixes of its information lines, extra final results beyond
 * OK/ERROR/+CME ERROR (SIMCom {@code 0, SEND OK}, a bare IP for {@code AT+CIFSR}), a payload to write after a prompt,
 * its timeout, and the secrets it carries (redacted in traces and errors). Build with {@link #of(String)}.
 */
public final class AtCommand {

    private final String text;
    private final String logText;
    private final Duration timeout;
    private final List<String> responsePrefixes;
    private final Predicate<String> extraFinal;
    private final byte[] payload;
    private final char prompt;
    private final Duration promptDelay;
    private final List<String> secrets;

    private AtCommand(Builder b) {
        this.text = b.text;
        String log = b.text;
        for (String s : b.secrets) {
            if (!s.isEmpty()) {
                log = log.replace(s, dev.atmodem.link.Secrets.MASK);
            }
        }
        this.logText = log;
        this.timeout = b.timeout;
        this.responsePrefixes = List.copyOf(b.prefixes);
        this.extraFinal = b.extraFinal;
        this.payload = b.payload;
        this.prompt = b.prompt;
        this.promptDelay = b.promptDelay;
        this.secrets = List.copyOf(b.secrets);
    }

    /** The secret values inside this command, which traces and messages must mask. */
    public List<String> secrets() {
        return secrets;
    }

    public static Builder of(String text) {
        return new Builder(text);
    }

    /** The command text as written to the modem, without the terminating CR. */
    public String text() {
        return text;
    }

    /** The command with secrets masked: for logs and exception messages. */
    public String logText() {
        return logText;
    }

    /** Null means: the engine's default timeout. */
    public Duration timeout() {
        return timeout;
    }

    public List<String> responsePrefixes() {
        return responsePrefixes;
    }

    boolean isResponseLine(String line) {
        for (String p : responsePrefixes) {
            if (line.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    boolean isExtraFinal(String line) {
        return extraFinal != null && extraFinal.test(line);
    }

    public boolean hasPayload() {
        return payload != null;
    }

    byte[] payload() {
        return payload;
    }

    char prompt() {
        return prompt;
    }

    Duration promptDelay() {
        return promptDelay;
    }

    byte[] bytes() {
        return (text + "\r").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return logText;
    }

    /** Builds an {@link AtCommand}. */
    public static final class Builder {
        private final String text;
        private Duration timeout;
        private final List<String> prefixes = new ArrayList<>();
        private final List<String> secrets = new ArrayList<>();
        private Predicate<String> extraFinal;
        private byte[] payload;
        private char prompt = '>';
        private Duration promptDelay = Duration.ZERO;

        private Builder(String text) {
            Objects.requireNonNull(text, "text");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\r' || c == '\n' || c < 0x20) {
                    throw new IllegalArgumentException("a command must be one line without control bytes");
                }
            }
            this.text = text;
        }

        public Builder timeout(Duration t) {
            this.timeout = Objects.requireNonNull(t, "timeout");
            return this;
        }

        /** Lines starting with this belong to the command even if they also look like a URC ({@code +CPIN:}). */
        public Builder expect(String prefix) {
            prefixes.add(Objects.requireNonNull(prefix, "prefix"));
            return this;
        }

        /** An extra final result code, returned as the response's final line (the caller decides success). */
        public Builder finalLine(Pattern pattern) {
            return finalLine(line -> pattern.matcher(line).matches());
        }

        public Builder finalLine(Predicate<String> matcher) {
            Predicate<String> previous = extraFinal;
            this.extraFinal = previous == null ? matcher : previous.or(matcher);
            return this;
        }

        /** Bytes to write after the modem's prompt ({@code > }, or {@code @} with {@link #prompt(char)}). */
        public Builder payload(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            this.payload = copy;
            return this;
        }

        public Builder prompt(char promptChar) {
            this.prompt = promptChar;
            return this;
        }

        /** A pause between the prompt and the payload (u-blox wants about 50 ms after {@code @}). */
        public Builder promptDelay(Duration delay) {
            this.promptDelay = Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("a prompt delay cannot be negative: " + delay);
            }
            return this;
        }

        /** A value inside the text that must never be logged. */
        public Builder secret(String value) {
            if (value != null) {
                secrets.add(value);
            }
            return this;
        }

        public AtCommand build() {
            return new AtCommand(this);
        }
    }
}
