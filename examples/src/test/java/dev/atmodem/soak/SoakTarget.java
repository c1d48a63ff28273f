package dev.atmodem.soak;

import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.ublox.SaraDialect;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One modem the soak suite runs against: its simulator dialect, how the host opens it, and the harmless status URCs
 * that dialect really sends at any moment (the URC noise fault). {@link #ALL} is the table every soak test iterates;
 * a new modem family is one more row.
 *
 * @param name    shown in test names and in the figures
 * @param dialect the testkit simulator dialect
 * @param options how the host opens it (APN or Wi-Fi credentials, PIN)
 * @param noise   unsolicited lines the modem may send between and inside responses
 * @param pushes  the modem pushes received data unasked (NINA-W EDM): the host cannot hold it back at the modem
 */
record SoakTarget(String name, String dialect, Supplier<ModemOptions> options, List<String> noise,
                  PromptGuard promptGuard, boolean pushes) {

    /**
     * How to shorten the wait between a data prompt and the payload on both ends (u-blox: about 50 ms after
     * {@code @}). With 1 KiB per write that wait, not the line, caps a SARA at about 20 KiB/s, so the 100 MiB long run
     * shortens it; null for modems without such a wait.
     */
    interface PromptGuard {
        ModemOptions apply(ModemSimulator sim, ModemOptions options, int millis);
    }

    private static final PromptGuard SARA_GUARD = (sim, o, ms) -> {
        sim.control(SaraDialect.class, d -> d.promptWait(ms));
        return o.withTimeout("USOWR.prompt", Duration.ofMillis(ms));
    };

    static final String PIN = "1234";

    static final List<SoakTarget> ALL = List.of(
            cellular("bg96", "bg96", null, "+CREG: 1", "+CEREG: 1,\"1A2B\",\"01C2D3E4\",7", "+QIND: \"csq\",21,99"),
            cellular("sim800", "sim800", null, "+CIEV: 10,\"26201\",\"Telekom.de\",\"\", 0, 0", "*PSUTTZ: 26,12,1,23,8,0,\"+4\",0",
                    "DST: 0", "+CREG: 1"),
            cellular("sara-r4", "sara-r4", SARA_GUARD, "+CIEV: 2,3", "+CEREG: 1", "+UMWI: 0,1", "+CTZE: \"+04\",0,\"26/12/01,23:08:00\""),
            cellular("sara-r5", "sara-r5", SARA_GUARD, "+CIEV: 2,4", "+CEREG: 5", "+UMWI: 0,1"),
            // Wi-Fi: the simulator's default access point; the noise is the link and network status a NINA repeats.
            new SoakTarget("nina-w", "nina-w", () -> tuned(ModemOptions.wifi("atmodem-sim", "atmodem-sim-pass")),
                    List.of("+UUNU:0", "+UUWLE:0,A0B1C2D3E4F5,6"), null, true));

    /** Every row, or only those named in {@code -Datmodem.soak.targets=bg96,sara-r5}. */
    static Stream<SoakTarget> all() {
        String only = System.getProperty("atmodem.soak.targets", "").trim();
        if (only.isEmpty()) {
            return ALL.stream();
        }
        List<String> names = List.of(only.split("\\s*,\\s*"));
        return ALL.stream().filter(t -> names.contains(t.name()));
    }

    private static SoakTarget cellular(String name, String dialect, PromptGuard guard, String... noise) {
        return new SoakTarget(name, dialect, () -> tuned(ModemOptions.cellular("internet").withPin(PIN)),
                List.of(noise), guard, false);
    }

    /** The options for {@code sim}, with the prompt wait shortened to {@code millis} on both ends where there is one. */
    ModemOptions options(ModemSimulator sim, int millis) {
        ModemOptions o = options.get();
        return promptGuard == null ? o : promptGuard.apply(sim, o, millis);
    }

    /** Short polling and recovery back-off, as the driver test suites use, so faults are ridden out quickly. */
    static ModemOptions tuned(ModemOptions o) {
        return o.withPolling(Duration.ofMillis(200), Duration.ofSeconds(1))
                .withRecovery(true, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    /** A simulator of this modem, SIM locked by {@link #PIN}. */
    ModemSimulator.Builder simulator() {
        return ModemSimulator.builder(dialect).pin(PIN);
    }

    @Override
    public String toString() {
        return name;
    }
}
