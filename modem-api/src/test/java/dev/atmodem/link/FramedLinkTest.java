package dev.atmodem.link;

import dev.atmodem.at.AtEngine;
import dev.atmodem.at.AtResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The framing seam under the AT engine: plain by default, a framing installed at run time wraps the engine's
 * commands, unwraps the text the parser reads, hands other frames to its owner in order, and shares one output lock
 * with raw frame writes.
 */
class FramedLinkTest {

    private final PipeLink.Pair pair = PipeLink.pair("framed-test");
    private final FramedLink link = new FramedLink(pair.host());
    private AtEngine at;

    @AfterEach
    void tearDown() {
        if (at != null) {
            at.close();
        }
        pair.host().close();
    }

    /**
     * A toy framing: text goes out as {@code [text]}; from the modem, {@code [..]} holds text and {@code {..}} a
     * side frame that is recorded, not parsed.
     */
    static final class Brackets implements Framing {
        final List<String> side = new CopyOnWriteArrayList<>();
        /** How much text had been handed out when each side frame arrived. */
        final List<Integer> textBeforeSide = new CopyOnWriteArrayList<>();
        private final StringBuilder current = new StringBuilder();
        private char open;
        int textSoFar;

        @Override
        public int decode(byte[] b, int off, int len, ByteArrayOutputStream text) {
            for (int i = 0; i < len; i++) {
                char c = (char) b[off + i];
                if (open == 0) {
                    open = c; // '[' or '{'
                } else if (c == ']' || c == '}') {
                    open = 0;
                    if (c == '}') {
                        side.add(current.toString());
                        textBeforeSide.add(textSoFar);
                    } else {
                        byte[] t = current.toString().getBytes(StandardCharsets.US_ASCII);
                        text.write(t, 0, t.length);
                        textSoFar += t.length;
                        current.setLength(0);
                        return i + 1;
                    }
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
            return len;
        }

        @Override
        public void encode(byte[] b, int off, int len, OutputStream modem) throws IOException {
            modem.write('[');
            modem.write(b, off, len);
            modem.write(']');
        }
    }

    private static String readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void plainByDefault_bytesPassBothWaysUnchanged() throws Exception {
        assertEquals("plain", link.framing().toString());
        at = new AtEngine(link, AtEngine.Settings.defaults()).start();
        ExecutorService modem = Executors.newSingleThreadExecutor();
        try {
            Future<String> seen = modem.submit(() -> {
                String cmd = readExactly(pair.modem().input(), 8);
                pair.modem().output().write("\r\n+X: 1\r\n\r\nOK\r\n".getBytes(StandardCharsets.US_ASCII));
                return cmd;
            });
            AtResponse r = at.execute("AT+XYZ?");
            assertEquals("AT+XYZ?\r", seen.get(5, TimeUnit.SECONDS));
            assertEquals(List.of("+X: 1"), r.texts());
        } finally {
            modem.shutdownNow();
        }
    }

    @Test
    void installedFraming_wrapsCommandsUnwrapsAnswersAndKeepsSideFramesInOrder() throws Exception {
        Brackets brackets = new Brackets();
        at = new AtEngine(link, AtEngine.Settings.defaults()).start();
        // Installed while the reader thread is already waiting: the bytes that arrive next go through it.
        Thread.sleep(50);
        link.install(brackets);
        ExecutorService modem = Executors.newSingleThreadExecutor();
        try {
            Future<String> seen = modem.submit(() -> {
                String cmd = readExactly(pair.modem().input(), 8);
                // Answer and a side frame in one write: the side frame must not overtake the answer's text.
                pair.modem().output().write("[\r\n+X: 1\r\n][\r\nOK\r\n]{data}".getBytes(StandardCharsets.US_ASCII));
                return cmd;
            });
            AtResponse r = at.execute("AT+XY");
            assertEquals("[AT+XY\r]", seen.get(5, TimeUnit.SECONDS), "the command went out wrapped");
            assertEquals(List.of("+X: 1"), r.texts());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (brackets.side.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(List.of("data"), brackets.side);
            assertEquals(List.of("\r\n+X: 1\r\n\r\nOK\r\n".length()), brackets.textBeforeSide,
                    "all text before the side frame was handed out first");
        } finally {
            modem.shutdownNow();
        }
    }

    @Test
    void rawFramesAndCommandsNeverInterleave() throws Exception {
        link.install(new Brackets());
        OutputStream text = link.output();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        int rounds = 200;
        try {
            Future<?> a = writers.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    text.write("AT+AAAA\r".getBytes(StandardCharsets.US_ASCII));
                }
                return null;
            });
            Future<?> b = writers.submit(() -> {
                byte[] frame = "{bbbbbbbbbbbb}".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < rounds; i++) {
                    link.writeRaw(frame, 0, frame.length);
                }
                return null;
            });
            int total = rounds * ("[AT+AAAA\r]".length() + "{bbbbbbbbbbbb}".length());
            String all = readExactly(pair.modem().input(), total);
            a.get(5, TimeUnit.SECONDS);
            b.get(5, TimeUnit.SECONDS);
            String rest = all.replace("[AT+AAAA\r]", "").replace("{bbbbbbbbbbbb}", "");
            assertEquals("", rest, "every unit arrived whole");
            assertTrue(all.startsWith("[") || all.startsWith("{"));
        } finally {
            writers.shutdownNow();
        }
    }
}
