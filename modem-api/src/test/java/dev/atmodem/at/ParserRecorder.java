package dev.atmodem.at;

import dev.atmodem.testing.Feed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Feeds a parser and records its events as short strings: {@code L:text}, {@code D:header|hex}, {@code P:>}. */
final class ParserRecorder implements AtParser.Listener {

    final List<String> events = new ArrayList<>();
    final AtParser parser;

    ParserRecorder() {
        parser = new AtParser(this);
    }

    ParserRecorder(int maxLine, int maxPayload) {
        parser = new AtParser(this, maxLine, maxPayload);
    }

    ParserRecorder feed(String s, Feed mode) {
        return feed(s.getBytes(StandardCharsets.ISO_8859_1), mode);
    }

    ParserRecorder feed(byte[] b, Feed mode) {
        mode.split(b, Feed.SEED, (off, len) -> parser.feed(b, off, len));
        return this;
    }

    @Override
    public void line(String line, byte[] payload) {
        events.add(payload == null ? "L:" + line : "D:" + line + "|" + HexFormat.of().formatHex(payload));
    }

    @Override
    public void prompt(char prompt) {
        events.add("P:" + prompt);
    }

    @Override
    public void malformed(String description) {
        events.add("M:" + description);
    }

    static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
