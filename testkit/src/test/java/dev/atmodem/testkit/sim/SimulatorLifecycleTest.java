package dev.atmodem.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.link.SerialLink;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Framework behaviour independent of the dialect's answers: threads, shutdown, input framing. */
class SimulatorLifecycleTest {

    @Test
    void closeStopsEveryThreadAndNetworkSocket() throws Exception {
        ModemSimulator sim = ModemSimulator.builder("bg96").baud(115200).rttMillis(20).build();
        String prefix = sim.toString();
        Socket peer;
        try (LoopbackPeer p = LoopbackPeer.manual(); RawHost host = new RawHost(sim.connectPipe())) {
            host.readThrough("APP RDY\r\n");
            host.command("AT+QIACT=1\r", "AT+QIACT=1\r\r\nOK\r\n");
            host.command("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + p.port() + ",0,0\r",
                    "AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + p.port() + ",0,0\r\r\nOK\r\n");
            peer = p.accept(Duration.ofSeconds(5));
            host.expect("\r\n+QIOPEN: 0,0\r\n");
            assertTrue(threads(prefix).size() >= 4, threads(prefix).toString());   // rx, tx, timer, socket i/o
            sim.faults().silence(60_000);   // a writer held by silence must still stop
            sim.close();
            assertTrue(sim.isClosed());
            assertEquals(-1, peer.getInputStream().read(), "the network socket is closed");
            peer.close();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!threads(prefix).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), threads(prefix));
    }

    private static List<String> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix + "-")).toList();
    }

    @Test
    void hostInputInAnyPiecesGivesTheSameAnswers() throws Exception {
        byte[] session = ("AT\r\nATE0\rAT+CSQ\r\nAT+QIACT=1\r").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Random r = new Random(5);
        try (ModemSimulator sim = ModemSimulator.builder("bg96").build();
             RawHost host = new RawHost(sim.connectPipe())) {
            host.readThrough("APP RDY\r\n");
            for (int off = 0; off < session.length; ) {
                int n = Math.min(session.length - off, 1 + r.nextInt(3));
                host.send(java.util.Arrays.copyOfRange(session, off, off + n));
                off += n;
            }
            host.expect("AT\r\r\nOK\r\nATE0\r\r\nOK\r\n\r\n+CSQ: 20,99\r\n\r\nOK\r\n\r\nOK\r\n");
        }
    }

    @Test
    void attachIsOncePerSimulator() {
        try (ModemSimulator sim = ModemSimulator.builder("bg96").build()) {
            SerialLink first = sim.connectPipe();
            assertThrows(IllegalStateException.class, sim::connectPipe);
            assertTrue(first.isOpen());
        }
        assertThrows(IllegalArgumentException.class, () -> ModemSimulator.builder("nokia3310"));
    }

    @Test
    void nameTableIsLoopbackAwareAndNeverUsesTheHostResolver() {
        NameTable t = new NameTable();
        assertEquals(List.of("127.0.0.1"), t.resolve("BROKER.test").orElseThrow());
        assertEquals(List.of("10.1.2.3"), t.resolve("10.1.2.3").orElseThrow());
        assertFalse(t.resolve("example.com").isPresent(), "no system DNS");
        assertTrue(NameTable.isLoopback("127.8.9.10"));
        assertFalse(NameTable.isLoopback("10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> t.put("x", "300.1.1.1"));
    }

    @Test
    void commandParsing() {
        AtCommand c = AtCommand.parse("AT+QIOPEN=1,0,\"TCP LISTENER\",\"a,b\",80");
        assertEquals("+QIOPEN", c.name());
        assertEquals(AtCommand.Form.SET, c.form());
        assertEquals(List.of("1", "0", "TCP LISTENER", "a,b", "80"), c.args());
        assertTrue(c.isQuoted(3));
        assertEquals(AtCommand.Form.READ, AtCommand.parse("at+cpin?").form());
        assertEquals(AtCommand.Form.TEST, AtCommand.parse("AT+CMEE=?").form());
        assertEquals("E", AtCommand.parse("ATE0").name());
        assertEquals("&D", AtCommand.parse("AT&D0").name());
        assertEquals(null, AtCommand.parse("XYZ"));
        assertThrows(AtCommand.BadCommandException.class, () -> AtCommand.parse("AT+X=\"open"));
    }
}
