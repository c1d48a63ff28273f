package dev.atmodem.testkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One command line as the modem received it, split the way V.250 reads it: {@code AT} + a name + a form. Basic
 * commands have a one-letter name ({@code ATE0}: name {@code E}, argument {@code 0}; {@code AT&D0}: name {@code &D});
 * extended ones start with {@code +} and come in four forms: {@code AT+X} (exec), {@code AT+X?} (read),
 * {@code AT+X=?} (test), {@code AT+X=a,"b"} (set).
 */
public final class AtCommand {

    /** The form of an extended command. Basic commands are EXEC (their digits are in {@link #args()}). */
    public enum Form { EXEC, READ, TEST, SET }

    private final String line;
    private final String name;
    private final Form form;
    private final List<String> args;
    private final List<Boolean> quoted;

    private AtCommand(String line, String name, Form form, List<String> args, List<Boolean> quoted) {
        this.line = line;
        this.name = name;
        this.form = form;
        this.args = args;
        this.quoted = quoted;
    }

    /**
     * Parses a line without its terminator. Returns null when the line does not start with {@code AT}
     * (case-insensitive), which a modem ignores.
     */
    public static AtCommand parse(String line) {
        if (line.length() < 2 || !line.substring(0, 2).equalsIgnoreCase("AT")) {
            return null;
        }
        String rest = line.substring(2);
        if (rest.isEmpty()) {
            return new AtCommand(line, "", Form.EXEC, List.of(), List.of());
        }
        char c = rest.charAt(0);
        if (c == '+' || c == '$' || c == '^' || c == '%' || c == '#') {
            int i = 1;
            while (i < rest.length() && rest.charAt(i) != '=' && rest.charAt(i) != '?') {
                i++;
            }
            String name = rest.substring(0, i).toUpperCase(Locale.ROOT);
            String tail = rest.substring(i);
            if (tail.isEmpty()) {
                return new AtCommand(line, name, Form.EXEC, List.of(), List.of());
            }
            if (tail.equals("?")) {
                return new AtCommand(line, name, Form.READ, List.of(), List.of());
            }
            if (tail.equals("=?")) {
                return new AtCommand(line, name, Form.TEST, List.of(), List.of());
            }
            if (tail.startsWith("=")) {
                List<String> args = new ArrayList<>();
                List<Boolean> quoted = new ArrayList<>();
                split(tail.substring(1), args, quoted);
                return new AtCommand(line, name, Form.SET, List.copyOf(args), List.copyOf(quoted));
            }
            return new AtCommand(line, name, Form.EXEC, List.of(tail), List.of(false));
        }
        int nameLen = (c == '&' && rest.length() > 1) ? 2 : 1;
        String name = rest.substring(0, nameLen).toUpperCase(Locale.ROOT);
        String tail = rest.substring(nameLen);
        if (tail.equals("?")) {
            return new AtCommand(line, name, Form.READ, List.of(), List.of());
        }
        return new AtCommand(line, name, Form.EXEC, tail.isEmpty() ? List.of() : List.of(tail),
                tail.isEmpty() ? List.of() : List.of(false));
    }

    /** Splits on commas outside double quotes; quotes are removed and remembered. */
    private static void split(String s, List<String> args, List<Boolean> quoted) {
        StringBuilder cur = new StringBuilder();
        boolean inQuotes = false;
        boolean wasQuoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                inQuotes = !inQuotes;
                wasQuoted = true;
            } else if (c == ',' && !inQuotes) {
                args.add(wasQuoted ? cur.toString() : cur.toString().trim());
                quoted.add(wasQuoted);
                cur.setLength(0);
                wasQuoted = false;
            } else if (inQuotes || c != ' ' || cur.length() > 0) {
                cur.append(c);
            }
        }
        if (inQuotes) {
            throw new BadCommandException("unbalanced quotes");
        }
        args.add(wasQuoted ? cur.toString() : cur.toString().trim());
        quoted.add(wasQuoted);
    }

    /** The line as received, without terminator. */
    public String line() {
        return line;
    }

    /** {@code +QIOPEN}, {@code E}, {@code &D}, or empty for a bare {@code AT}. Upper case. */
    public String name() {
        return name;
    }

    /** The key under which {@link Stats} counts this command, e.g. {@code AT+QISEND}. */
    public String statsKey() {
        return "AT" + name;
    }

    public Form form() {
        return form;
    }

    public List<String> args() {
        return args;
    }

    public int argCount() {
        return args.size();
    }

    public boolean hasArg(int i) {
        return i < args.size() && !(args.get(i).isEmpty() && !quoted.get(i));
    }

    public boolean isQuoted(int i) {
        return i < quoted.size() && quoted.get(i);
    }

    public String arg(int i) {
        if (i >= args.size()) {
            throw new BadCommandException("missing argument " + (i + 1));
        }
        return args.get(i);
    }

    /** A quoted string argument; a bare token where a string belongs is a syntax error. */
    public String stringArg(int i) {
        if (!isQuoted(i)) {
            throw new BadCommandException("argument " + (i + 1) + " must be quoted");
        }
        return args.get(i);
    }

    public int intArg(int i) {
        String a = arg(i);
        if (isQuoted(i) || !a.matches("\\d{1,9}")) {
            throw new BadCommandException("argument " + (i + 1) + " is not a number: " + a);
        }
        return Integer.parseInt(a);
    }

    public int intArg(int i, int min, int max) {
        int v = intArg(i);
        if (v < min || v > max) {
            throw new BadCommandException("argument " + (i + 1) + " out of range " + min + ".." + max + ": " + v);
        }
        return v;
    }

    public int intArgOr(int i, int dflt) {
        return hasArg(i) ? intArg(i) : dflt;
    }

    @Override
    public String toString() {
        return line;
    }

    /** A malformed command; the simulator answers it with a plain {@code ERROR}, as modems do. */
    public static final class BadCommandException extends RuntimeException {
        public BadCommandException(String message) {
            super(message);
        }
    }
}
