package dev.atmodem.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The byte-exactness check every driver test uses: stream seeded random bytes through a socket connected to an echo
 * peer ({@link LoopbackPeer#echo()}) while another thread reads them back, and compare SHA-256 of both sides.
 */
public final class EchoCheck {

    private EchoCheck() {
    }

    /**
     * Sends {@code size} bytes from a {@link Random} seeded with {@code seed} and reads the echo, failing with an
     * {@link AssertionError} if the digests differ, the stream ends early, or {@code timeout} passes.
     */
    public static void run(Socket s, int size, long seed, Duration timeout) throws IOException, InterruptedException {
        s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        MessageDigest sent = sha256();
        CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> readBack(s, size));
        Random r = new Random(seed);
        OutputStream out = s.getOutputStream();
        byte[] chunk = new byte[8192];
        for (int done = 0; done < size; done += chunk.length) {
            int n = Math.min(chunk.length, size - done);
            r.nextBytes(chunk);
            out.write(chunk, 0, n);
            sent.update(chunk, 0, n);
        }
        String expected = HexFormat.of().formatHex(sent.digest());
        String actual;
        try {
            actual = received.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("reading the echo failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the echo of " + size + " bytes did not come back within " + timeout, e);
        }
        if (!expected.equals(actual)) {
            throw new AssertionError("SHA-256 of the echoed bytes differs: sent " + expected + ", got " + actual);
        }
    }

    private static String readBack(Socket s, int size) {
        MessageDigest got = sha256();
        byte[] buf = new byte[4096];
        long total = 0;
        try {
            InputStream in = s.getInputStream();
            while (total < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - total));
                if (n < 0) {
                    throw new AssertionError("end of stream after " + total + " of " + size + " bytes");
                }
                got.update(buf, 0, n);
                total += n;
            }
        } catch (IOException e) {
            throw new AssertionError("reading failed after " + total + " bytes: " + e, e);
        }
        return HexFormat.of().formatHex(got.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
