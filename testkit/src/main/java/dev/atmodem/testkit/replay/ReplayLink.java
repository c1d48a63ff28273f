package dev.atmodem.testkit.replay;

import dev.atmodem.link.PipeLink;
import dev.atmodem.link.Printable;
import dev.atmodem.link.SerialLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link whose far end plays the modem side of a {@link Transcript}: it sends each modem line when its turn comes
 * (after the line's recorded delay) and checks every byte the host writes against the transcript. On the first
 * divergence it records what differed and cuts the link, so the code under test fails fast with an
 * {@link IOException}; {@link #verify()} (also called by {@link #close()}) then fails the test with the details.
 *
 * <pre>{@code
 * try (ReplayLink link = ReplayLink.of(Transcript.resource("/my-session.txt", Map.of()))) {
 *     driverUnderTest.run(link);
 *     link.verify();
 * }
 * }</pre>
 */
public final class ReplayLink implements SerialLink {

    private static final Logger log = LoggerFactory.getLogger(ReplayLink.class);

    private final Transcript transcript;
    private final PipeLink host;
    private final PipeLink modem;
    private final Duration hostTimeout;
    private final boolean honourDelays;
    private final Thread player;
    private volatile String divergence;
    private volatile boolean complete;
    private volatile boolean closing;

    private ReplayLink(Transcript transcript, Duration hostTimeout, boolean honourDelays) {
        this.transcript = transcript;
        this.hostTimeout = hostTimeout;
        this.honourDelays = honourDelays;
        PipeLink.Pair pair = PipeLink.pair("replay");
        this.host = pair.host();
        this.modem = pair.modem();
        this.player = new Thread(this::play, "replay-player");
        player.setDaemon(true);
    }

    /** Plays {@code transcript} with its delays; the host gets 10 s for each of its lines. */
    public static ReplayLink of(Transcript transcript) {
        return of(transcript, Duration.ofSeconds(10), true);
    }

    public static ReplayLink of(Transcript transcript, Duration hostTimeout, boolean honourDelays) {
        ReplayLink l = new ReplayLink(transcript, hostTimeout, honourDelays);
        l.player.start();
        return l;
    }

    private void play() {
        try {
            InputStream in = modem.input();
            OutputStream out = modem.output();
            int index = 0;
            for (Transcript.Event e : transcript.events()) {
                index++;
                if (e.direction() == Transcript.Direction.MODEM_TO_HOST) {
                    if (honourDelays && e.delayMillis() > 0) {
                        Thread.sleep(e.delayMillis());
                    }
                    out.write(e.bytes());
                    out.flush();
                } else if (!expectFromHost(in, e.bytes(), index)) {
                    return;
                }
            }
            complete = true;
            int extra = in.read();
            if (extra >= 0 && !closing) {
                diverge("the host sent " + Printable.of(new byte[] {(byte) extra}, 0, 1)
                        + "... after the transcript ended");
            }
        } catch (IOException e) {
            if (!closing && !complete) {
                diverge("the link failed during replay: " + e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the host's bytes as they come and compares each at once, so a wrong byte is caught immediately. */
    private boolean expectFromHost(InputStream in, byte[] expected, int event) throws IOException,
            InterruptedException {
        byte[] got = new byte[expected.length];
        int n = 0;
        long deadline = System.nanoTime() + hostTimeout.toNanos();
        while (n < expected.length) {
            if (in.available() == 0) {
                if (System.nanoTime() > deadline) {
                    diverge("event " + event + ": the host sent only " + Printable.of(got, 0, n) + " of "
                            + Printable.of(expected, 0, expected.length) + " within " + hostTimeout.toMillis()
                            + " ms");
                    return false;
                }
                Thread.sleep(1);
                if (closing) {
                    return false;
                }
                continue;
            }
            int r = in.read(got, n, expected.length - n);
            if (r < 0) {
                if (!closing) {
                    diverge("event " + event + ": the host closed the link while "
                            + Printable.of(expected, n, expected.length - n) + " was expected");
                }
                return false;
            }
            for (int i = n; i < n + r; i++) {
                if (got[i] != expected[i]) {
                    diverge("event " + event + ": the host sent " + Printable.of(got, 0, i + 1) + " but the transcript"
                            + " has " + Printable.of(expected, 0, expected.length) + " (first difference at byte "
                            + i + ")");
                    return false;
                }
            }
            n += r;
        }
        return true;
    }

    private void diverge(String what) {
        if (divergence == null) {
            divergence = what;
            log.debug("replay diverged: {}", what);
        }
        modem.close();   // the host sees the link die instead of waiting for answers that will not come
    }

    /** Null while the session follows the transcript; otherwise what differed first. */
    public String divergence() {
        return divergence;
    }

    /** Whether every transcript event has been played or matched. */
    public boolean isComplete() {
        return complete;
    }

    /** Fails if the host diverged from the transcript or has not reached its end. */
    public void verify() {
        if (divergence != null) {
            throw new AssertionError("AT session diverged from the transcript: " + divergence);
        }
        if (!complete) {
            throw new AssertionError("the AT session stopped before the end of the transcript");
        }
    }

    @Override
    public InputStream input() {
        return host.input();
    }

    @Override
    public OutputStream output() {
        return host.output();
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public boolean isOpen() {
        return host.isOpen();
    }

    /** Ends the replay; throws an {@link AssertionError} if the session diverged (not if it merely stopped early). */
    @Override
    public void close() {
        closing = true;
        host.close();
        try {
            player.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (divergence != null) {
            throw new AssertionError("AT session diverged from the transcript: " + divergence);
        }
    }
}
