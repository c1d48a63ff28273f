package dev.atmodem.driver.bg96;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.expose.PtyExposure;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real serial path: the BG96 simulator on a pseudo-terminal (socat), opened by path through jSerialComm. The
 * normal suite paces at 921600 baud; {@code -Psoak} at 115200.
 */
class Bg96SerialPathTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void oneMebibyteEchoesByteExactOverAPseudoTerminal() throws Exception {
        assumeTrue(PtyExposure.socatAvailable(), "socat is not installed (apt-get install socat; .ci/run does it)");
        int baud = Boolean.getBoolean("atmodem.soak") ? 115_200 : 921_600;
        try (PtyExposure pty = PtyExposure.start(dir.resolve("ttyBG96"),
                () -> ModemSimulator.builder("bg96").baud(baud).pin("1234").fragmentation(1, 64).seed(3).build());
             LoopbackPeer echo = LoopbackPeer.echo();
             Modem modem = Modem.open(dir.resolve("ttyBG96").toString(), Bg96Fixture.options().withBaud(baud))) {
            assertEquals("bg96", modem.driverName());
            long t0 = System.nanoTime();
            try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                Bg96Fixture.echo(s, 1 << 20, 11, Duration.ofMinutes(8));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("BG96 1 MiB echo over a pty at %d baud: %.1f s%n", baud, seconds);
        }
    }
}
