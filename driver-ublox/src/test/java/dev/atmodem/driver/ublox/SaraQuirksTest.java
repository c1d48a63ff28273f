package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.ModemState;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.ublox.SaraDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver against the dialect's knobs for the messier behaviour of real SARA modules (QUIRKS 4, 9, 11, 12; §3B
 * partial writes; module-assigned ids; each family's UAUTHREQ order), all byte-exact.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SaraQuirksTest {

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    private <T extends AutoCloseable> T later(T c) {
        closeLater.add(0, c);
        return c;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    /** The dialect refuses activation unless the credentials arrive in its family's order (§3A). */
    @Test
    void eachFamilyGetsItsCredentialOrderAccepted() throws Exception {
        for (String dialect : List.of(UbloxFixture.R4, UbloxFixture.R5)) {
            ModemSimulator sim = later(UbloxFixture.sim(dialect, 0, 5));
            sim.control(SaraDialect.class, d -> d.requireCredentials("user", "pw"));
            Modem modem = later(Modem.open(sim.connectPipe(), UbloxFixture.options()
                    .withApnCredentials("user", "pw", ModemOptions.Auth.PAP)));
            assertEquals(ModemState.READY, modem.state(), dialect);
            LoopbackPeer echo = later(LoopbackPeer.echo());
            try (Socket s = modem.socketFactory().createSocket("localhost", echo.port())) {
                UbloxFixture.echo(s, 10_000, 1, Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void idsAssignedByTheModuleShortWritesMissedUrcsAndOddFramingStayByteExact() throws Exception {
        ModemSimulator sim = later(UbloxFixture.sim(UbloxFixture.R4, 921_600, 6));
        sim.control(SaraDialect.class, d -> {
            d.firstSocketId(4);
            d.omitUusordAfterRead(true);
            d.okWithoutCrlfAfterRead(true);
            d.shortWrites(300);
        });
        Modem modem = later(UbloxFixture.open(sim));
        LoopbackPeer echo = later(LoopbackPeer.echo());
        try (Socket a = modem.socketFactory().createSocket("localhost", echo.port());
             Socket b = modem.socketFactory().createSocket("localhost", echo.port())) {
            sim.faults().lateUrcInNextResponse("+CIEV: 2,3");
            UbloxFixture.echo(a, 32 * 1024, 2, Duration.ofMinutes(1));
            UbloxFixture.echo(b, 16 * 1024, 3, Duration.ofMinutes(1));
        }
        assertEquals(ModemState.READY, modem.state());
    }

    @Test
    void aCloseUrcInsideTheNextCommandStillEndsTheStreamAfterTheData() throws Exception {
        ModemSimulator sim = later(UbloxFixture.sim(UbloxFixture.R4, 0, 8));
        Modem modem = later(UbloxFixture.open(sim));
        sim.control(SaraDialect.class, d -> d.closeUrcInsideNextCommand(true));
        LoopbackPeer peer = later(LoopbackPeer.manual());
        byte[] greeting = new byte[5_000];
        new java.util.Random(4).nextBytes(greeting);
        Socket s = later(modem.socketFactory().createSocket("localhost", peer.port()));
        try (Socket server = peer.accept(Duration.ofSeconds(10))) {
            server.getOutputStream().write(greeting);
        }
        s.setSoTimeout(20_000);
        assertTrue(java.util.Arrays.equals(greeting, s.getInputStream().readNBytes(greeting.length)));
        assertEquals(-1, s.getInputStream().read());
        s.close();
        assertEquals(ModemState.READY, modem.state());
    }
}
