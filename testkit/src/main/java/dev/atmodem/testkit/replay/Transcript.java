package dev.atmodem.testkit.replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recorded AT session in a small line-based text format, meant to be read and edited by hand:
 *
 * <pre>
 * # BG96: signal quality            comment lines start with '#', blank lines are ignored
 * &gt; AT+CSQ\r                       bytes the host sent to the modem
 * @+120ms                           the next line happened 120 ms after the previous one (optional)
 * &lt; \r\n+CSQ: 20,99\r\n\r\nOK\r\n    bytes the modem sent to the host
 * </pre>
 *
 * After {@code "> "} or {@code "< "} every character is taken literally except these escapes: {@code \r}, {@code \n},
 * {@code \t}, {@code \\} and {@code \xHH} for any other byte (a trailing space is written {@code \x20} so that
 * editors cannot strip it). Consecutive lines of the same direction simply continue the byte stream, so long
 * answers can be split anywhere. {@code ${NAME}} is replaced by a variable given at load time (e.g. a port chosen
 * by the test). Text is ISO-8859-1: one character, one byte.
 */
public final class Transcript {

    /** Who sent the bytes. */
    public enum Direction { HOST_TO_MODEM, MODEM_TO_HOST }

    /** One line of the transcript: bytes in one direction, after an optional delay since the previous event. */
    public record Event(Direction direction, byte[] bytes, long delayMillis) {
    }

    private static final Pattern DELAY = Pattern.compile("@\\+(\\d+)ms");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");

    private final List<Event> events;

    public Transcript(List<Event> events) {
        this.events = List.copyOf(events);
    }

    public List<Event> events() {
        return events;
    }

    public static Transcript parse(String text) {
        return parse(text, Map.of());
    }

    /** Parses the format above; {@code ${NAME}} is replaced from {@code variables} (an unknown one is an error). */
    public static Transcript parse(String text, Map<String, String> variables) {
        List<Event> events = new ArrayList<>();
        long delay = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            int no = i + 1;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher d = DELAY.matcher(line.strip());
            if (d.matches()) {
                delay += Long.parseLong(d.group(1));
                continue;
            }
            Direction dir;
            if (line.startsWith("> ") || line.equals(">")) {
                dir = Direction.HOST_TO_MODEM;
            } else if (line.startsWith("< ") || line.equals("<")) {
                dir = Direction.MODEM_TO_HOST;
            } else {
                throw new IllegalArgumentException("transcript line " + no + ": expected '> ', '< ', '@+Nms' or '#': "
                        + line);
            }
            String content = line.length() > 2 ? substitute(line.substring(2), variables, no) : "";
            events.add(new Event(dir, unescape(content, no), delay));
            delay = 0;
        }
        return new Transcript(events);
    }

    public static Transcript load(Path file, Map<String, String> variables) throws IOException {
        return parse(Files.readString(file, StandardCharsets.ISO_8859_1), variables);
    }

    /** Loads a transcript from the class path, e.g. {@code /dev/atmodem/testkit/transcripts/bg96-bringup.txt}. */
    public static Transcript resource(String name, Map<String, String> variables) {
        try (InputStream in = Transcript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript on the class path at " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1), variables);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All bytes of one direction, concatenated. */
    public byte[] bytes(Direction direction) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Event e : events) {
            if (e.direction() == direction) {
                b.writeBytes(e.bytes());
            }
        }
        return b.toByteArray();
    }

    /** Writes the transcript in its text format. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Event e : events) {
            if (e.delayMillis() > 0) {
                sb.append("@+").append(e.delayMillis()).append("ms\n");
            }
            sb.append(e.direction() == Direction.HOST_TO_MODEM ? "> " : "< ").append(escape(e.bytes(), 0,
                    e.bytes().length)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static String substitute(String s, Map<String, String> vars, int no) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("transcript line " + no + ": no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static byte[] unescape(String s, int no) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                throw new IllegalArgumentException("transcript line " + no + ": character outside ISO-8859-1: " + c);
            }
            if (c != '\\') {
                b.write(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new IllegalArgumentException("transcript line " + no + ": dangling backslash");
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'r' -> b.write('\r');
                case 'n' -> b.write('\n');
                case 't' -> b.write('\t');
                case '\\' -> b.write('\\');
                case 'x' -> {
                    try {
                        b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    } catch (NumberFormatException | IndexOutOfBoundsException x) {
                        throw new IllegalArgumentException("transcript line " + no + ": \\x needs two hex digits", x);
                    }
                    i += 2;
                }
                default -> throw new IllegalArgumentException("transcript line " + no + ": unknown escape \\" + e);
            }
        }
        return b.toByteArray();
    }

    /** The inverse of the parser's unescaping, for one line's content. */
    public static String escape(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len + 8);
        for (int i = off; i < off + len; i++) {
            int v = b[i] & 0xff;
            boolean last = i == off + len - 1;
            switch (v) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (v > 0x20 && v < 0x7f || (v == 0x20 && !last)) {
                        sb.append((char) v);
                    } else {
                        sb.append(String.format("\\x%02X", v));
                    }
                }
            }
        }
        return sb.toString();
    }
}
