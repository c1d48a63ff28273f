package dev.atmodem.testkit.replay;

import dev.atmodem.link.SerialLink;
import dev.atmodem.link.TracingLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Records a live AT session (real hardware or a simulator) as a {@link Transcript}. Wrap the host's link:
 *
 * <pre>{@code
 * TranscriptRecorder rec = new TranscriptRecorder();
 * SerialLink link = rec.wrap(SerialLinks.open("/dev/ttyUSB2", 115200));
 * ... run the session ...
 * rec.save(Path.of("src/test/resources/bg96-session.txt"));
 * }</pre>
 *
 * Bytes are grouped into one event per run of the same direction; a pause of at least {@code gapMillis} also starts a
 * new event and is written as {@code @+Nms}. Payload bytes are recorded as they are: remove secrets (PIN, APN
 * passwords) before sharing a transcript.
 */
public final class TranscriptRecorder implements TracingLink.Sink {

    private final long gapNanos;
    private final List<Transcript.Event> events = new ArrayList<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private Transcript.Direction currentDirection;
    private long currentDelayMillis;
    private long lastNanos = -1;

    public TranscriptRecorder() {
        this(20);
    }

    public TranscriptRecorder(long gapMillis) {
        this.gapNanos = gapMillis * 1_000_000L;
    }

    /**
     * A link that records everything crossing {@code link}. {@link TracingLink} reports host bytes before it writes
     * them, so a fast modem's answer can never be recorded ahead of the command that caused it.
     */
    public SerialLink wrap(SerialLink link) {
        return new TracingLink(link, this);
    }

    @Override
    public synchronized void bytes(TracingLink.Direction direction, byte[] b, int off, int len) {
        Transcript.Direction d = direction == TracingLink.Direction.TO_MODEM
                ? Transcript.Direction.HOST_TO_MODEM : Transcript.Direction.MODEM_TO_HOST;
        long now = System.nanoTime();
        long gap = lastNanos < 0 ? 0 : now - lastNanos;
        if (d != currentDirection || gap >= gapNanos) {
            flush();
            currentDirection = d;
            currentDelayMillis = gap >= gapNanos ? gap / 1_000_000L : 0;
        }
        current.write(b, off, len);
        lastNanos = now;
    }

    private void flush() {
        if (current.size() > 0) {
            events.add(new Transcript.Event(currentDirection, current.toByteArray(), currentDelayMillis));
            current.reset();
        }
    }

    /** What has been recorded so far. */
    public synchronized Transcript transcript() {
        List<Transcript.Event> all = new ArrayList<>(events);
        if (current.size() > 0) {
            all.add(new Transcript.Event(currentDirection, current.toByteArray(), currentDelayMillis));
        }
        return new Transcript(all);
    }

    public void save(Path file) throws IOException {
        Files.writeString(file, "# recorded by atmodem TranscriptRecorder\n" + transcript().format(),
                StandardCharsets.ISO_8859_1);
    }
}
