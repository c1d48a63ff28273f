package dev.atmodem.driver.sim800;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemState;
import dev.atmodem.at.AtCommand;
import dev.atmodem.testkit.FaultRig;
import dev.atmodem.testkit.ModemWatch;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault the simulator can inject, against the SIM800 driver: no hang beyond the configured timeouts, no byte lost
 * or duplicated on sockets that stay open, a clear exception on sockets that die, and a working modem afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Sim800FaultTest {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");

    private FaultRig rig;
    private ModemSimulator sim;
    private Modem modem;
    private ModemWatch watch;
    private List<String> states;

    @BeforeEach
    void setUp() throws Exception {
        rig = FaultRig.open(Sim800Fixture.sim(0, 7), Sim800Fixture::open);
        sim = rig.sim;
        modem = rig.modem;
        watch = rig.watch;
        states = watch.transitions();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void rebootFailsOpenSocketsAndTheModemComesBack() throws Exception {
        Socket s = rig.echoSocket();
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        sim.faults().reboot();
        IOException e = reader.get(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("restarted"), e.getMessage());
        watch.awaitTransition("READY->RECOVERING", 1); // the socket can fail before the supervisor hears of it
        rig.assertWorksAgain();
        assertTrue(states.contains("READY->RECOVERING") && states.contains("RECOVERING->READY"), states.toString());
        s.close();
    }

    @Test
    void bearerLossFailsOpenSocketsAndTheDataConnectionComesBack() throws Exception {
        Socket s = rig.echoSocket();
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        sim.faults().bearerLoss();
        IOException e = reader.get(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("data connection dropped"), e.getMessage());
        watch.awaitTransition("READY->RECOVERING", 1);
        rig.assertWorksAgain();
        assertTrue(states.contains("RECOVERING->READY"), states.toString());
        s.close();
    }

    @Test
    void remoteCloseEndsOneSocketAndLeavesTheOtherByteExact() throws Exception {
        try (Socket victim = rig.echoSocket();
             Socket survivor = rig.echoSocket()) {
            victim.setSoTimeout(20_000);
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                try {
                    Sim800Fixture.echo(survivor, 200_000, 5, Duration.ofMinutes(1));
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            });
            Thread.sleep(200);
            sim.faults().remoteClose(0);
            assertEquals(-1, victim.getInputStream().read(), "end of stream after a remote close");
            traffic.get(2, TimeUnit.MINUTES);
        }
        assertEquals(ModemState.READY, modem.state());
    }

    @Test
    void aSendFailBurstIsRiddenOutByteExact() throws Exception {
        try (Socket s = rig.echoSocket()) {
            sim.faults().failNextSends(12); // the engine backs off 20 ms doubling to 1 s: about 7 s
            Sim800Fixture.echo(s, 100_000, 6, Duration.ofMinutes(1));
        }
        // every refused chunk was sent again: at least 12 more sends than 100,000 bytes in 1460-byte chunks need
        assertTrue(sim.stats().commandCount("AT+CIPSEND") >= 12 + (100_000 + 1459) / 1460,
                "sends: " + sim.stats().commandCount("AT+CIPSEND"));
        assertEquals(ModemState.READY, modem.state());
    }

    @Test
    void thirtySecondsOfSilenceFailTheSocketsWithinTheTimeoutsAndTheModemRecovers() throws Exception {
        Socket s = rig.echoSocket();
        // no SO_TIMEOUT: only the engine can end it
        CompletableFuture<IOException> reader = ModemWatch.blockedReader(s);
        Thread.sleep(100);
        long t0 = System.nanoTime();
        sim.faults().silence(30_000);
        IOException e = reader.get(40, TimeUnit.SECONDS);
        long failedAfter = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(e.getMessage().contains("stopped answering") || e.getMessage().contains("no answer")
                || e.getMessage().contains("did not answer"), e.getMessage());
        System.out.println("SIM800 silence: the blocked socket failed after " + failedAfter + " s: " + e.getMessage());
        watch.awaitTransition("RECOVERING->READY", 1); // the modem is brought back by itself once it answers again
        rig.assertWorksAgain();
        s.close();
    }

    @Test
    void aCmeErrorFailsOnlyTheCommandItHitsWithItsMeaning() throws Exception {
        sim.faults().cmeErrorOnNext("AT\\+CIPSTART=.*", 3);
        ModemException e = assertThrows(ModemException.class,
                () -> rig.echoSocket());
        assertTrue(e.getMessage().contains("localhost:" + rig.echoPort())
                && e.getMessage().contains("operation not allowed"), e.getMessage());
        assertEquals(ModemState.READY, modem.state());
        rig.assertWorksAgain();
    }

    @Test
    void aFaultDuringRecoveryIsNotLost() throws Exception {
        sim.faults().bearerLoss();
        watch.awaitTransition("READY->RECOVERING", 1);
        sim.faults().silence(1_500); // hold the first recovery in its AT probes ...
        sim.faults().reboot(); // ... while the modem reboots under it
        watch.awaitStableReady();
        rig.assertWorksAgain();
        assertTrue(IPV4.matcher(modem.at().execute(AtCommand.of("AT+CIFSR").finalLine(IPV4).build()).finalLine()).matches(),
                "data connection up after both faults");
    }

    @Test
    void socketsOpenedWhileRecoveringAreRefusedClearly() throws Exception {
        CompletableFuture<Void> recovering = new CompletableFuture<>();
        modem.addListener((from, to, why) -> {
            if (to == ModemState.RECOVERING) {
                recovering.complete(null);
            }
        });
        sim.faults().bearerLoss();
        recovering.get(10, TimeUnit.SECONDS);
        ModemException e = assertThrows(ModemException.class,
                () -> rig.echoSocket());
        assertTrue(e.getMessage().contains("cannot open a socket") && e.getMessage().contains("data connection"),
                e.getMessage());
        rig.assertWorksAgain();
    }

    @Test
    void bearerLossInTheMiddleOfATransferFailsItClearlyAndTheModemComesBack() throws Exception {
        Socket s = rig.echoSocket();
        CompletableFuture<Throwable> transfer = CompletableFuture.supplyAsync(() -> {
            try {
                Sim800Fixture.echo(s, 4 << 20, 12, Duration.ofMinutes(1));
                return new AssertionError("a 4 MiB echo finished although the bearer dropped under it");
            } catch (Throwable t) {
                return t;
            }
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sim.stats().socket(0).received() < 100_000 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertTrue(sim.stats().socket(0).received() >= 100_000, "the transfer got going: " + sim.stats().socket(0));
        sim.faults().bearerLoss();
        Throwable t = transfer.get(60, TimeUnit.SECONDS);
        assertTrue(messages(t).contains("data connection dropped"), messages(t));
        watch.awaitTransition("READY->RECOVERING", 1); // the failure can reach the application before the supervisor
        rig.assertWorksAgain();
        s.close();
    }

    @Test
    void rebootInTheMiddleOfATransferFailsItClearly() throws Exception {
        Socket s = rig.echoSocket();
        CompletableFuture<Throwable> transfer = CompletableFuture.supplyAsync(() -> {
            try {
                Sim800Fixture.echo(s, 4 << 20, 13, Duration.ofMinutes(1));
                return new AssertionError("a 4 MiB echo finished although the modem rebooted under it");
            } catch (Throwable t) {
                return t;
            }
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sim.stats().socket(0).received() < 100_000 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        sim.faults().reboot();
        Throwable t = transfer.get(60, TimeUnit.SECONDS);
        assertTrue(messages(t).contains("restarted"), messages(t));
        watch.awaitTransition("READY->RECOVERING", 1);
        rig.assertWorksAgain();
        s.close();
    }

    @Test
    void aMissedDataReadyUrcIsMadeUpForByPolling() throws Exception {
        try (Socket s = rig.echoSocket()) {
            sim.faults().dropNextUrc("\\+CIPRXGET: ?1,\\d+");
            s.setSoTimeout(20_000);
            s.getOutputStream().write("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("ping", new String(s.getInputStream().readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /** Every message in the cause chain, so an assertion can look for the reason wherever it was wrapped. */
    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" / ");
        }
        return sb.toString();
    }
}
