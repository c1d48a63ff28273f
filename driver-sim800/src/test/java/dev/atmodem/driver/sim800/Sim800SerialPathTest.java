package dev.atmodem.driver.sim800;

import dev.atmodem.Modem;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.expose.PtyExposure;
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
 * The real serial path: the SIM800 simulator on a pseudo-terminal (socat), opened by path through jSerialComm. The
 * normal suite moves 256 KiB at 921600 baud; {@code -Psoak} 1 MiB at 115200.
 */
class Sim800SerialPathTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void echoesByteExactOverAPseudoTerminal() throws Exception {
        assumeTrue(PtyExposure.socatAvailable(), "socat is not installed (apt-get install socat; .ci/run does it)");
        boolean soak = Boolean.getBoolean("atmodem.soak");
        int baud = soak ? 115_200 : 921_600;
        int size = soak ? 1 << 20 : 256 * 1024;
        try (PtyExposure pty = PtyExposure.start(dir.resolve("ttySIM800"), () -> Sim800Fixture.sim(baud, 3));
             LoopbackPeer echo = LoopbackPeer.echo();
             Modem modem = Modem.open(dir.resolve("ttySIM800").toString(), Sim800Fixture.options().withBaud(baud))) {
            assertEquals("sim800", modem.driverName());
            long t0 = System.nanoTime();
            try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                Sim800Fixture.echo(s, size, 11, Duration.ofMinutes(8));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("SIM800 %d KiB echo over a pty (%s) at %d baud: %.1f s%n", size / 1024, pty.device(), baud,
                    seconds);
        }
    }
}
