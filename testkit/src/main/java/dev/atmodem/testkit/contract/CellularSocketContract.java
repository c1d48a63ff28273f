package dev.atmodem.testkit.contract;

import dev.atmodem.Modem;
import dev.atmodem.ModemException;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SocketContract} for a cellular modem, with what every cellular driver must say about its SIM: a PIN-locked
 * SIM opened without a PIN, and one given a wrong PIN, fail with a message that says what to do and never shows the
 * PIN. The simulator must be built with a SIM PIN other than 9999.
 */
public abstract class CellularSocketContract extends SocketContract {

    protected CellularSocketContract(String model, int maxSockets, Duration bulkEchoTimeout,
                                     IntFunction<ModemSimulator> simulator, Opener opener) {
        super(model, maxSockets, bulkEchoTimeout, simulator, opener);
    }

    @Test
    void aLockedSimWithoutPinAndAWrongPinFailClearly() {
        ModemSimulator sim = simulator(0);
        ModemException none = assertThrows(ModemException.class,
                () -> later(Modem.open(sim.connectPipe(), ModemOptions.cellular("internet"))));
        assertTrue(none.getMessage().contains("withPin"), none.getMessage());
        ModemSimulator sim2 = simulator(0);
        ModemException wrong = assertThrows(ModemException.class,
                () -> later(Modem.open(sim2.connectPipe(), ModemOptions.cellular("internet").withPin("9999"))));
        assertTrue(wrong.getMessage().contains("refused the PIN"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("9999"), "the PIN must not appear in messages");
    }
}
