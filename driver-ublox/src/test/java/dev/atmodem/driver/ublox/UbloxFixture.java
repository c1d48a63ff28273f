package dev.atmodem.driver.ublox;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.EchoCheck;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;


/** Shared helpers for the SARA driver tests: the simulator dialects, options, SHA-256 echo runs. */
final class UbloxFixture {

    static final String R4 = "sara-r4";
    static final String R5 = "sara-r5";
    static final String NINA = "nina-w";
    static final String ODIN = "odin-w2";
    /** The simulated access point's defaults (testkit SimOptions). */
    static final String SSID = "atmodem-sim";
    static final String PASSPHRASE = "atmodem-sim-pass";

    private UbloxFixture() {
    }

    static ModemSimulator sim(String dialect, int baud, long seed) {
        return ModemSimulator.builder(dialect).baud(baud).pin("1234").fragmentation(1, 64).seed(seed).build();
    }

    static ModemOptions options() {
        return ModemOptions.cellular("internet").withPin("1234")
                .withPolling(Duration.ofMillis(200), Duration.ofSeconds(1))
                .withRecovery(true, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    static ModemSimulator wifiSim(String dialect, int baud, long seed) {
        return ModemSimulator.builder(dialect).baud(baud).fragmentation(1, 64).seed(seed).build();
    }

    static ModemOptions wifiOptions() {
        return ModemOptions.wifi(SSID, PASSPHRASE)
                .withPolling(Duration.ofMillis(200), Duration.ofSeconds(1))
                .withRecovery(true, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    static Modem openWifi(ModemSimulator sim) throws IOException {
        return Modem.open(sim.connectPipe(), wifiOptions());
    }

    static Modem open(ModemSimulator sim) throws IOException {
        return Modem.open(sim.connectPipe(), options());
    }

    /** The shared SHA-256 echo check of the testkit. */
    static void echo(Socket s, int size, long seed, Duration timeout) throws Exception {
        EchoCheck.run(s, size, seed, timeout);
    }
}
