package dev.atmodem.at;

/**
 * One line the modem sent, with the binary payload it announced (null when it announced none).
 * The payload array is owned by the receiver; the parser never reuses it.
 */
public record AtLine(String text, byte[] payload) {

    public boolean hasPayload() {
        return payload != null;
    }

    /** The text after {@code prefix} with surrounding blanks removed, or null if the line does not start with it. */
    public String after(String prefix) {
        return text.startsWith(prefix) ? text.substring(prefix.length()).trim() : null;
    }

    @Override
    public String toString() {
        return payload == null ? text : text + " +" + payload.length + " bytes";
    }
}
