package dev.atmodem.at;

import java.util.List;

/**
 * The answer to one command: its information lines (echo and URCs removed) and the final line that ended it
 * ({@code OK}, or a command-specific final such as {@code SEND FAIL}).
 */
public record AtResponse(List<AtLine> lines, String finalLine) {

    public AtResponse {
        lines = List.copyOf(lines);
    }

    public boolean isOk() {
        return "OK".equals(finalLine);
    }

    /** The text after {@code prefix} of the first line that starts with it, or null. */
    public String value(String prefix) {
        for (AtLine l : lines) {
            String v = l.after(prefix);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The first line that starts with {@code prefix}, or null. */
    public AtLine line(String prefix) {
        for (AtLine l : lines) {
            if (l.text().startsWith(prefix)) {
                return l;
            }
        }
        return null;
    }

    /** All line texts, for answers without a prefix ({@code ATI}, {@code AT+CGSN}). */
    public List<String> texts() {
        return lines.stream().map(AtLine::text).toList();
    }
}
