package dev.atmodem.driver.sim800;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.EchoCheck;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;


/** Shared helpers for the SIM800 driver tests: options, SHA-256 echo runs. */
final class Sim800Fixture {

    private Sim800Fixture() {
    }

    static ModemOptions options() {
        return ModemOptions.cellular("internet").withPin("1234")
                .withPolling(Duration.ofMillis(200), Duration.ofSeconds(1))
                .withRecovery(true, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    static Modem open(ModemSimulator sim) throws IOException {
        return Modem.open(sim.connectPipe(), options());
    }

    /** The SIM800 simulator with a SIM PIN, fragmenting what it sends into pieces of 1-64 bytes. */
    static ModemSimulator sim(int baud, long seed) {
        return ModemSimulator.builder("sim800").baud(baud).pin("1234").fragmentation(1, 64).seed(seed).build();
    }

    /** The shared SHA-256 echo check of the testkit. */
    static void echo(Socket s, int size, long seed, Duration timeout) throws Exception {
        EchoCheck.run(s, size, seed, timeout);
    }
}
