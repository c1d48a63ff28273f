package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.sim.ModemSimulator;

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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared helpers for the SARA driver tests: the simulator dialects, options, SHA-256 echo runs. */
final class UbloxFixture {

    static final String R4 = "sara-r4";
    static final String R5 = "sara-r5";

    private UbloxFixture() {
    }

    static ModemSimulator sim(String dialect, int baud, long seed) {
        return ModemSimulator.builder(dialect).baud(baud).pin("1234").fragmentation(1, 64).seed(seed).build();
    }

    static ModemOptions options() {
        return ModemOptions.cellular("internet").withPin("1234")
                .withPolling(Duration.ofMillis(200), Duration.ofSeconds(1))
                .withRecovery(true, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    static Modem open(ModemSimulator sim) throws IOException {
        return Modem.open(sim.connectPipe(), options());
    }

    /**
     * Streams {@code size} seeded random bytes through an echo socket while reading them back on another thread, and
     * checks SHA-256 of what was sent against what came back.
     */
    static void echo(Socket s, int size, long seed, Duration timeout) throws Exception {
        s.setSoTimeout((int) timeout.toMillis());
        MessageDigest sent = sha256();
        CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
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
                throw new AssertionError("reading failed after " + total + " bytes", e);
            }
            return HexFormat.of().formatHex(got.digest());
        });
        Random r = new Random(seed);
        OutputStream out = s.getOutputStream();
        byte[] chunk = new byte[8192];
        for (int done = 0; done < size; done += chunk.length) {
            int n = Math.min(chunk.length, size - done);
            r.nextBytes(chunk);
            out.write(chunk, 0, n);
            sent.update(chunk, 0, n);
        }
        assertEquals(HexFormat.of().formatHex(sent.digest()), received.get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                "SHA-256 of the echoed bytes");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
