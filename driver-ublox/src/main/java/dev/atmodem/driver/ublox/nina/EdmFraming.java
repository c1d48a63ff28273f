package dev.atmodem.driver.ublox.nina;

import dev.atmodem.link.Framing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Extended Data Mode as a {@link Framing}: AT-response and AT-event frames become the text the AT parser reads (so the
 * engine's URC table and timeouts work unchanged), data, connect, disconnect and start events go to the
 * {@link EdmListener}. Text outside frames passes through as well: it is the module in command mode.
 *
 * <p>The input side is installed before {@code ATO2} is sent, so no frame that follows its {@code OK} can be read as
 * text; the output side starts wrapping commands in AT-request frames only once the {@code OK} has arrived
 * ({@link #frameOutput(boolean)}), and goes back to plain text when the module announces a restart in command mode.
 */
final class EdmFraming implements Framing {

    private static final Logger log = LoggerFactory.getLogger(EdmFraming.class);

    /** Silence inside a frame after which it counts as truncated; far above any UART gap within one frame. */
    static final long FRAME_GAP_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);

    private final EdmListener listener;
    private final String name;
    private final EdmDecoder decoder;
    private ByteArrayOutputStream text;
    private boolean textFrame;
    private volatile boolean framedOutput;
    /** When the module last sent anything (System.nanoTime): pushed data needs no polling, silence needs a probe. */
    private volatile long lastHeardNanos = System.nanoTime();
    /** The command line being collected until its CR (the engine may write it in pieces); output lock held. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    EdmFraming(String name, EdmListener listener) {
        this.name = name;
        this.listener = listener;
        this.decoder = new EdmDecoder(new EdmDecoder.Sink() {
            @Override
            public void frame(int type, byte[] body) {
                dispatch(type, body);
            }

            @Override
            public void text(byte b) {
                text.write(b);
            }

            @Override
            public void malformed(String why) {
                log.warn("{}: dropped a malformed EDM frame: {}", EdmFraming.this.name, why);
            }
        });
    }

    /** Whether commands are wrapped in AT-request frames (the module is in EDM) or written as plain text. */
    void frameOutput(boolean on) {
        framedOutput = on;
    }

    boolean framedOutput() {
        return framedOutput;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    @Override
    public int decode(byte[] b, int off, int len, ByteArrayOutputStream out) {
        text = out;
        long now = System.nanoTime();
        // A module writes each frame in one burst: a frame left unfinished through a long silence was cut short
        // (a reset, a lost byte in the length), and waiting for its rest would swallow the next answers instead.
        if (!decoder.idle() && now - lastHeardNanos > FRAME_GAP_NANOS) {
            decoder.abandon();
        }
        lastHeardNanos = now;
        for (int i = 0; i < len; i++) {
            textFrame = false;
            decoder.feed(b[off + i]);
            // Stop after a frame that carried text: the parser sees it before any later data or connect event.
            if (textFrame) {
                return i + 1;
            }
        }
        return len;
    }

    private void dispatch(int type, byte[] body) {
        switch (type) {
            case Edm.AT_RESPONSE, Edm.AT_EVENT -> {
                text.write(body, 0, body.length);
                textFrame = true;
            }
            case Edm.DATA_EVENT -> {
                if (body.length < 1) {
                    log.warn("{}: EDM data event without a channel", name);
                    return;
                }
                byte[] data = new byte[body.length - 1];
                System.arraycopy(body, 1, data, 0, data.length);
                listener.data(body[0] & 0xff, data);
            }
            case Edm.CONNECT_EVENT -> {
                EdmConnect c = EdmConnect.parse(body);
                if (c == null) {
                    log.warn("{}: EDM connect event too short ({} bytes)", name, body.length);
                } else {
                    listener.connected(c);
                }
            }
            case Edm.DISCONNECT_EVENT -> {
                if (body.length < 1) {
                    log.warn("{}: EDM disconnect event without a channel", name);
                } else {
                    listener.disconnected(body[0] & 0xff);
                }
            }
            case Edm.START_EVENT -> listener.started();
            default -> log.debug("{}: ignored an EDM {} of {} bytes", name, Edm.typeName(type), body.length);
        }
    }

    @Override
    public void encode(byte[] b, int off, int len, OutputStream modem) throws IOException {
        if (!framedOutput) {
            modem.write(b, off, len);
            return;
        }
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                if (line.size() > 0) {
                    byte[] cmd = line.toByteArray();
                    line.reset();
                    modem.write(Edm.atRequest(cmd, 0, cmd.length));
                }
            } else if ((c & 0xff) >= 0x20) {
                line.write(c);
            }
            // Other control bytes (the ESC the engine sends to end a data prompt) mean nothing in EDM: no prompts.
        }
    }

    @Override
    public String toString() {
        return "EDM";
    }
}
