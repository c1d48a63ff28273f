package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data through EDM under link conditions (a paced line, the module's output cut into random pieces, network delay)
 * and with a host that writes faster than the line and the peer take it: every byte arrives once, in order.
 */
class NinaStreamTest extends NinaTestBase {

    private static final Logger measure = LoggerFactory.getLogger("dev.atmodem.testkit.measure");

    /** Opens a peer in EDM; returns its channel. */
    private int openInEdm(LoopbackPeer p) throws Exception {
        request("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"");
        expectResponse("\r\n+UDCP:1\r\n\r\nOK\r\n");
        EdmFrame connect = next();
        assertEquals(EdmFrame.CONNECT_EVENT, connect.type());
        assertTrue(text(next().data()).startsWith("\r\n+UUDPC:1,"));
        return connect.channel();
    }

    /**
     * Streams {@code size} seeded random bytes to an echo peer in data commands of {@code chunk} bytes, from another
     * thread and without waiting for anything, while this one reads the data events; compares SHA-256 of both.
     * Returns the seconds it took.
     */
    private double echo(int size, int chunk) throws Exception {
        LoopbackPeer echo = echoPeer();
        int channel = openInEdm(echo);
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        long t0 = System.nanoTime();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                for (int off = 0; off < size; off += chunk) {
                    byte[] part = Arrays.copyOfRange(data, off, Math.min(size, off + chunk));
                    send(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, channel, part));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        MessageDigest back = MessageDigest.getInstance("SHA-256");
        long got = 0;
        while (got < size) {
            EdmFrame f = next();
            assertEquals(EdmFrame.DATA_EVENT, f.type(), f.toString());
            assertEquals(channel, f.channel());
            back.update(f.data());
            got += f.data().length;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        sender.get(5, TimeUnit.SECONDS);
        assertEquals(size, got);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), back.digest());
        assertEquals(size, sim.stats().socket(1).sent());
        assertEquals(size, sim.stats().socket(1).received());
        return s;
    }

    @Test
    void echoUnderLinkConditions() throws Exception {
        ready(ModemSimulator.builder("nina-w").baud(921600).fragmentation(1, 64).rttMillis(10).seed(11));
        host.timeout(Duration.ofSeconds(20));
        joinWifi();
        enterEdm();
        echo(64 * 1024, EdmFrame.maxData(EdmFrame.DATA_COMMAND));
    }

    @Test
    void echoWithSmallDataEventsAndOddChunks() throws Exception {
        ready(ModemSimulator.builder("nina-w").fragmentation(1, 7).seed(3));
        sim.control(NinaDialect.class, d -> d.dataEventMax(100));
        joinWifi();
        enterEdm();
        echo(32 * 1024, 333);
    }

    /**
     * The peer does not read at first: the modem's send buffer fills, the module stops taking bytes from the host
     * (the host's writes block on the line instead of data being dropped), and once the peer reads, all of it
     * arrives intact.
     */
    @Test
    void aHostFasterThanThePeerIsHeldBackAndNothingIsLost() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        LoopbackPeer p = peer();
        request("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"");
        expectResponse("\r\n+UDCP:1\r\n\r\nOK\r\n");
        Socket far = p.accept(Duration.ofSeconds(5));
        closeables.add(far);
        int channel = next().channel();
        next();
        int size = 4 << 20;   // more than loopback TCP buffers and the 64 KiB line buffer hold together
        byte[] data = new byte[size];
        new Random(4).nextBytes(data);
        int chunk = EdmFrame.maxData(EdmFrame.DATA_COMMAND);
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                for (int off = 0; off < size; off += chunk) {
                    send(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, channel,
                            Arrays.copyOfRange(data, off, Math.min(size, off + chunk))));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        far.setSoTimeout(10_000);
        InputStream in = far.getInputStream();
        byte[] buf = new byte[65536];
        while (got.size() < size) {
            int n = in.read(buf);
            assertTrue(n > 0, "peer connection ended after " + got.size() + " bytes");
            got.write(buf, 0, n);
        }
        sender.get(10, TimeUnit.SECONDS);
        assertArrayEquals(data, got.toByteArray());
        assertTrue(sim.stats().hostHeldBack() > 0, "the send buffer filled and held the host back");
        request("AT");
        expectResponse("\r\nOK\r\n");
    }

    /** The measured run: 1 MiB byte-exact echo through EDM at 921600 baud with fragmentation and a 20 ms RTT. */
    @Test
    @EnabledIfSystemProperty(named = "atmodem.soak", matches = "true")
    void oneMebibyteEchoAt921600Baud() throws Exception {
        ready(ModemSimulator.builder("nina-w").baud(921600).fragmentation(1, 64).rttMillis(20).seed(11));
        host.timeout(Duration.ofSeconds(60));
        joinWifi();
        enterEdm();
        int size = 1 << 20;
        double s = echo(size, EdmFrame.maxData(EdmFrame.DATA_COMMAND));
        measure.info("nina-w EDM echo: {} bytes each way at 921600 baud in {} s ({} B/s each way; line limit 92160)",
                size, String.format("%.2f", s), String.format("%.0f", size / s));
    }
}
