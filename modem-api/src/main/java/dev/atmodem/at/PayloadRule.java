package dev.atmodem.at;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells the parser that a line announces a binary payload of a given length. Payloads are framed only by that length:
 * the parser never looks for line ends inside them (QUIRKS 3).
 *
 * <ul>
 *   <li>{@link #afterLine}: the payload starts after the line's terminator ({@code +QIRD: 5\r\n<5 bytes>},
 *       {@code +RECEIVE,0,12:\r\n<12 bytes>}).</li>
 *   <li>{@link #inline}: the payload starts inside the line, right after a trigger character, and may be followed by a
 *       literal suffix ({@code +USORD: 0,5,"<5 bytes>"}).</li>
 * </ul>
 *
 * @param pattern     matched against the whole header text (for {@code inline}: the text up to and including the
 *                    trigger)
 * @param lengthGroup the capturing group that holds the decimal length
 * @param trigger     for inline rules, the character that ends the header; 0 for after-line rules
 * @param suffix      bytes expected right after an inline payload and skipped if present ("" for none)
 */
public record PayloadRule(Pattern pattern, int lengthGroup, char trigger, String suffix) {

    public PayloadRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(suffix, "suffix");
        if (lengthGroup < 1) {
            throw new IllegalArgumentException("lengthGroup must name a capturing group");
        }
    }

    public static PayloadRule afterLine(String regex, int lengthGroup) {
        return new PayloadRule(Pattern.compile(regex), lengthGroup, (char) 0, "");
    }

    public static PayloadRule inline(String regex, int lengthGroup, char trigger, String suffix) {
        if (trigger == 0 || trigger == '\r' || trigger == '\n') {
            throw new IllegalArgumentException("an inline payload needs a printable trigger character");
        }
        return new PayloadRule(Pattern.compile(regex), lengthGroup, trigger, suffix);
    }

    boolean isInline() {
        return trigger != 0;
    }

    /**
     * The announced length if {@code header} matches; -1 if it does not match; {@link Long#MAX_VALUE} if the length
     * field is not a usable number (too long, or negative), which the parser reports as malformed.
     */
    long announcedLength(CharSequence header) {
        Matcher m = pattern.matcher(header);
        if (!m.matches()) {
            return -1;
        }
        String digits = m.group(lengthGroup);
        if (digits == null || digits.isEmpty() || digits.length() > 10) {
            return Long.MAX_VALUE;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return Long.MAX_VALUE;
            }
        }
        return Long.parseLong(digits);
    }
}
