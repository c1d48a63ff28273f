package dev.atmodem;

/** Hears about state changes of a {@link Modem}. Called on a modem thread: return quickly, never block. */
@FunctionalInterface
public interface ModemListener {

    void stateChanged(ModemState from, ModemState to, String reason);
}
