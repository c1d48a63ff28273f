package dev.atmodem.at;

import dev.atmodem.ModemException;

/**
 * The modem answered a command with an error. Carries the command (secrets redacted), the raw answer, the CME/CMS code
 * when the modem gave a number, and what it means in plain words.
 */
public class AtException extends ModemException {

    private final String command;
    private final String answer;
    private final Integer code;
    private final String meaning;

    public AtException(String command, String answer, Integer code, String meaning) {
        super(describe(command, answer, meaning));
        this.command = command;
        this.answer = answer;
        this.code = code;
        this.meaning = meaning;
    }

    /** A driver-level error with an explanation that is more specific than the CME table. */
    public AtException(String message, String command, String answer, Integer code, String meaning) {
        super(message);
        this.command = command;
        this.answer = answer;
        this.code = code;
        this.meaning = meaning;
    }

    private static String describe(String command, String answer, String meaning) {
        StringBuilder sb = new StringBuilder("the modem refused ").append(command).append(": ").append(answer);
        if (meaning != null && !meaning.isEmpty() && !answer.toLowerCase().contains(meaning.toLowerCase())) {
            sb.append(" (").append(meaning).append(')');
        }
        return sb.toString();
    }

    public String command() {
        return command;
    }

    public String answer() {
        return answer;
    }

    /** The numeric CME/CMS error code, or null when the modem gave text or a bare ERROR. */
    public Integer code() {
        return code;
    }

    /** The plain-words meaning, or null when unknown. */
    public String meaning() {
        return meaning;
    }
}
