package dev.atmodem.testkit.sim.bg96;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.link.PipeLink;
import dev.atmodem.link.TracingLink;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Baud-rate pacing, fragmentation and network latency. */
class LinkConditionsTest extends Bg96TestBase {

    private static final Logger measure = LoggerFactory.getLogger("dev.atmodem.testkit.measure");

    /**
     * 64 KiB pushed by the peer in direct-push mode crosses the 115200-baud line at 11,520 B/s. The figure is logged;
     * the assertion is generous (20%), the figure itself lands within a few percent.
     */
    @Test
    void modemToHostPacingMatchesTheBaudRate() throws Exception {
        start(ModemSimulator.builder("bg96").baud(115200));
        host.timeout(Duration.ofSeconds(30));
        host.expect(BANNER);
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+QIACT=1\r", "\r\nOK\r\n");
        Socket peer = open(peer(), 0, 1);
        byte[] data = new byte[64 * 1024];
        new Random(3).nextBytes(data);
        long bytesBefore = sim.stats().bytesToHost();
        long t0 = System.nanoTime();
        Bg96SocketTest.write(peer, data);
        // read every push (header, data, CRLF) until all payload bytes arrived
        int got = 0;
        while (got < data.length) {
            host.readThrough("\r\n+QIURC: \"recv\",0,");
            String head = host.readThrough("\r\n");
            int n = Integer.parseInt(head.substring(0, head.length() - 2));
            host.read(n);
            host.expect("\r\n");
            got += n;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long serialBytes = sim.stats().bytesToHost() - bytesBefore;
        double rate = serialBytes / seconds;
        measure.info("modem->host pacing at 115200 baud: {} serial bytes in {} s = {} B/s ({}% of 11520)",
                serialBytes, String.format("%.3f", seconds), Math.round(rate), String.format("%.1f",
                        100 * rate / 11520));
        assertTrue(rate > 11520 * 0.8 && rate < 11520 * 1.2, "rate " + rate);
    }

    @Test
    void hostToModemPacingMatchesTheBaudRate() throws Exception {
        start(ModemSimulator.builder("bg96").baud(460800));
        host.timeout(Duration.ofSeconds(30));
        host.expect(BANNER);
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+QIACT=1\r", "\r\nOK\r\n");
        LoopbackPeer p = peer();
        Socket peer = open(p, 0, 0);
        // the host pushes 64 KiB through QISEND; the modem accepts it at 46,080 B/s
        byte[] data = new byte[64 * 1024];
        new Random(4).nextBytes(data);
        Thread sink = new Thread(() -> {
            try {
                LoopbackPeer.readExactly(peer, data.length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        sink.start();
        long before = sim.stats().bytesFromHost();
        long t0 = System.nanoTime();
        for (int off = 0; off < data.length; off += 1460) {
            int n = Math.min(1460, data.length - off);
            host.command("AT+QISEND=0," + n + "\r", "\r\n> ");
            host.send(java.util.Arrays.copyOfRange(data, off, off + n)).expect("\r\nSEND OK\r\n");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long serialBytes = sim.stats().bytesFromHost() - before;
        double rate = serialBytes / seconds;
        measure.info("host->modem pacing at 460800 baud: {} serial bytes in {} s = {} B/s ({}% of 46080;"
                + " includes the answers' round trips)", serialBytes, String.format("%.3f", seconds),
                Math.round(rate), String.format("%.1f", 100 * rate / 46080));
        sink.join(10_000);
        // the answers (prompt, SEND OK) also cross the paced line, so the input side can only be slower
        assertTrue(rate < 46080 * 1.2 && rate > 46080 * 0.5, "rate " + rate);
    }

    @Test
    void fragmentationKeepsTheStreamAndIsReproducible() throws Exception {
        List<Integer> first = writeSizes(7);
        List<Integer> second = writeSizes(7);
        assertEquals(first, second, "same seed, same pieces");
        assertTrue(first.stream().allMatch(n -> n >= 1 && n <= 3), first.toString());
        assertTrue(first.size() > 20);
    }

    /** Runs a small session on a fragmenting simulator and returns the size of each write it made. */
    private List<Integer> writeSizes(long seed) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        PipeLink.Pair pair = PipeLink.pair("frag");
        TracingLink modemSide = new TracingLink(pair.modem(), (dir, b, off, len) -> {
            if (dir == TracingLink.Direction.TO_MODEM) {   // the tracer's "to modem" is the simulator writing
                synchronized (sizes) {
                    sizes.add(len);
                }
            }
        });
        try (ModemSimulator s = ModemSimulator.builder("bg96").fragmentation(1, 3).seed(seed).build();
             RawHost h = new RawHost(pair.host())) {
            s.attach(modemSide);
            h.expect(BANNER);
            h.command("ATI\r", "ATI\r\r\nQuectel\r\nBG96\r\nRevision: BG96MAR02A07M1G\r\n\r\nOK\r\n");
        }
        synchronized (sizes) {
            return new ArrayList<>(sizes);
        }
    }

    @Test
    void latencyDelaysConnectDnsAndData() throws Exception {
        int rtt = 200;
        start(ModemSimulator.builder("bg96").rttMillis(rtt));
        host.timeout(Duration.ofSeconds(10));
        host.expect(BANNER);
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        long t0 = System.nanoTime();
        host.command("AT+QIACT=1\r", "\r\nOK\r\n");
        long activate = (System.nanoTime() - t0) / 1_000_000;

        LoopbackPeer p = peer();
        t0 = System.nanoTime();
        host.command("AT+QIOPEN=1,0,\"TCP\",\"broker.test\"," + p.port() + ",0,0\r", "\r\nOK\r\n");
        Socket peer = p.accept(Duration.ofSeconds(5));
        closeables.add(peer);
        host.expect("\r\n+QIOPEN: 0,0\r\n");
        long connect = (System.nanoTime() - t0) / 1_000_000;

        t0 = System.nanoTime();
        Bg96SocketTest.write(peer, new byte[] {1});
        host.expect("\r\n+QIURC: \"recv\",0\r\n");
        long oneWay = (System.nanoTime() - t0) / 1_000_000;

        t0 = System.nanoTime();
        host.command("AT+QIDNSGIP=1,\"broker.test\"\r", "\r\nOK\r\n");
        host.expect("\r\n+QIURC: \"dnsgip\",0,1,600\r\n\r\n+QIURC: \"dnsgip\",\"127.0.0.1\"\r\n");
        long dns = (System.nanoTime() - t0) / 1_000_000;

        measure.info("rtt {} ms: QIACT {} ms, DNS+connect {} ms, data one-way {} ms, DNS {} ms", rtt, activate,
                connect, oneWay, dns);
        // lower bounds only: the simulator may never be faster than the network it models
        assertTrue(activate >= rtt, "activation " + activate);
        assertTrue(connect >= 2 * rtt, "a named connect costs DNS plus the handshake: " + connect);
        assertTrue(oneWay >= rtt / 2, "one-way data " + oneWay);
        assertTrue(dns >= rtt, "DNS " + dns);
    }

    @Test
    void pacedAndFragmentedOutputIsStillExact() throws Exception {
        start(ModemSimulator.builder("bg96").baud(115200).fragmentation(1, 7).seed(99));
        host.expect(BANNER);
        host.command("ATI\r", "ATI\r\r\nQuectel\r\nBG96\r\nRevision: BG96MAR02A07M1G\r\n\r\nOK\r\n");
        assertArrayEquals(new byte[0], host.pending(), "nothing beyond the answer");
    }
}
