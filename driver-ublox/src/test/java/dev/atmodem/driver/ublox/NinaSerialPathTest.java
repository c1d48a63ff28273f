package dev.atmodem.driver.ublox;

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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real serial path for the NINA-W: the nina-w simulator on a pseudo-terminal (socat), opened by path through
 * jSerialComm, EDM frames over it. The normal suite moves 128 KiB each way at 921600 baud; {@code -Psoak} moves 1 MiB
 * at 115200.
 */
class NinaSerialPathTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void echoesByteExactOverAPseudoTerminal() throws Exception {
        assumeTrue(PtyExposure.socatAvailable(), "socat is not installed (apt-get install socat; .ci/run does it)");
        boolean soak = Boolean.getBoolean("atmodem.soak");
        int baud = soak ? 115_200 : 921_600;
        int size = soak ? 1 << 20 : 128 * 1024;
        try (PtyExposure pty = PtyExposure.start(dir.resolve("ttyNINA"),
                () -> UbloxFixture.wifiSim(UbloxFixture.NINA, baud, 3));
             LoopbackPeer echo = LoopbackPeer.echo();
             Modem modem = Modem.open(dir.resolve("ttyNINA").toString(),
                     UbloxFixture.wifiOptions().withBaud(baud))) {
            assertEquals("ublox", modem.driverName());
            assertTrue(modem.capabilities().model().startsWith("NINA-W1"), modem.capabilities().model());
            long t0 = System.nanoTime();
            try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                UbloxFixture.echo(s, size, 11, Duration.ofMinutes(8));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("NINA-W %d KiB echo over a pty at %d baud: %.1f s, %.0f B/s each way (line limit %d)%n",
                    size / 1024, baud, seconds, size / seconds, baud / 10);
        }
    }
}
