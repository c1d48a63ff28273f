package dev.atmodem.driver.sim800;

import dev.atmodem.at.AtCommand;
import dev.atmodem.testkit.FaultRig;
import dev.atmodem.testkit.contract.CellularFaultContract;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault the simulator can inject, against the SIM800 driver: the testkit's cellular fault contract (restart,
 * bearer loss, remote close, refused sends, 30 s of silence, a CME error on {@code AT+CIPSTART}, a restart during a
 * recovery, sockets opened while recovering), and the SIM800's own: faults in the middle of a transfer, a missed
 * data-ready URC.
 */
class Sim800FaultTest extends CellularFaultContract {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");

    Sim800FaultTest() {
        super(new Profile("SIM800", () -> Sim800Fixture.sim(0, 7), Sim800Fixture::open, "AT\\+CIPSTART=.*",
                Duration.ofSeconds(30), 12));
    }

    /** Every refused chunk was sent again: that many more sends than 100,000 bytes in 1460-byte chunks need. */
    @Override
    protected void afterRefusedSends(ModemSimulator sim, int refused) {
        assertTrue(sim.stats().commandCount("AT+CIPSEND") >= refused + (100_000 + 1459) / 1460,
                "sends: " + sim.stats().commandCount("AT+CIPSEND"));
    }

    @Override
    protected void assertDataConnectionUp(FaultRig rig) throws Exception {
        String address = rig.modem.at().execute(AtCommand.of("AT+CIFSR").finalLine(IPV4).build()).finalLine();
        assertTrue(IPV4.matcher(address).matches(), "an address assigned: " + address);
    }

    @Test
    void bearerLossInTheMiddleOfATransferFailsItClearlyAndTheModemComesBack() throws Exception {
        FaultRig rig = rig();
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
        while (rig.sim.stats().socket(0).received() < 100_000 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertTrue(rig.sim.stats().socket(0).received() >= 100_000,
                "the transfer got going: " + rig.sim.stats().socket(0));
        rig.sim.faults().bearerLoss();
        Throwable t = transfer.get(60, TimeUnit.SECONDS);
        assertTrue(messages(t).contains("data connection dropped"), messages(t));
        // the failure can reach the application before the supervisor
        rig.watch.awaitTransition("READY->RECOVERING", 1);
        rig.assertWorksAgain();
        s.close();
    }

    @Test
    void rebootInTheMiddleOfATransferFailsItClearly() throws Exception {
        FaultRig rig = rig();
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
        while (rig.sim.stats().socket(0).received() < 100_000 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        rig.sim.faults().reboot();
        Throwable t = transfer.get(60, TimeUnit.SECONDS);
        assertTrue(messages(t).contains("restarted"), messages(t));
        rig.watch.awaitTransition("READY->RECOVERING", 1);
        rig.assertWorksAgain();
        s.close();
    }

    @Test
    void aMissedDataReadyUrcIsMadeUpForByPolling() throws Exception {
        FaultRig rig = rig();
        try (Socket s = rig.echoSocket()) {
            rig.sim.faults().dropNextUrc("\\+CIPRXGET: ?1,\\d+");
            s.setSoTimeout(20_000);
            s.getOutputStream().write("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("ping", new String(s.getInputStream().readNBytes(4),
                    java.nio.charset.StandardCharsets.US_ASCII));
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
