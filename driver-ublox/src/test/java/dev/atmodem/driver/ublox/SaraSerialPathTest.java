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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real serial path: the sara-r4 simulator on a pseudo-terminal (socat), opened by path through jSerialComm. The
 * normal suite moves 128 KiB each way at 921600 baud (the 1 MiB run lives in SaraDriverTest, over a pipe);
 * {@code -Psoak} moves 1 MiB at 115200.
 */
class SaraSerialPathTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void echoesByteExactOverAPseudoTerminal() throws Exception {
        assumeTrue(PtyExposure.socatAvailable(), "socat is not installed (apt-get install socat; .ci/run does it)");
        boolean soak = Boolean.getBoolean("atmodem.soak");
        int baud = soak ? 115_200 : 921_600;
        int size = soak ? 1 << 20 : 128 * 1024;
        try (PtyExposure pty = PtyExposure.start(dir.resolve("ttySARA"),
                () -> UbloxFixture.sim(UbloxFixture.R4, baud, 3));
             LoopbackPeer echo = LoopbackPeer.echo();
             Modem modem = Modem.open(dir.resolve("ttySARA").toString(), UbloxFixture.options().withBaud(baud))) {
            assertEquals("ublox", modem.driverName());
            long t0 = System.nanoTime();
            try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                UbloxFixture.echo(s, size, 11, Duration.ofMinutes(8));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("SARA-R4 %d KiB echo over a pty at %d baud: %.1f s%n", size / 1024, baud, seconds);
        }
    }
}
