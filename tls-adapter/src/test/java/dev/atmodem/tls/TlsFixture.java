package dev.atmodem.tls;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A simulated BG96 with the test names, and small helpers shared by the TLS tests. */
final class TlsFixture implements AutoCloseable {

    final ModemSimulator sim;
    final Modem modem;

    TlsFixture() throws IOException {
        this(0);
    }

    TlsFixture(int baud) throws IOException {
        sim = ModemSimulator.builder("bg96").baud(baud).seed(5).build();
        sim.names().put("tls.test", "127.0.0.1");
        sim.names().put("wrong.test", "127.0.0.1");
        sim.names().put("api.test", "127.0.0.1");
        modem = Modem.open(sim.connectPipe(), ModemOptions.cellular("internet")
                .withPolling(Duration.ofMillis(200), Duration.ofSeconds(1)));
    }

    /** Writes a line through the socket and checks it comes back. */
    static void echoLine(Socket s, String text) throws IOException {
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(b);
        out.flush();
        InputStream in = s.getInputStream();
        assertEquals(text + "\n", new String(in.readNBytes(b.length), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        modem.close();
        sim.close();
    }
}
