package dev.atmodem;

/**
 * Network registration as reported by {@code AT+CREG?}, {@code AT+CGREG?} or {@code AT+CEREG?}.
 *
 * @param state      what the network said
 * @param command    which query answered ({@code CEREG} for LTE, {@code CGREG} for GPRS, {@code CREG} for GSM)
 */
public record Registration(State state, String command) {

    /** The 3GPP {@code <stat>} values. */
    public enum State {
        NOT_REGISTERED, HOME, SEARCHING, DENIED, UNKNOWN, ROAMING;

        public static State of(int stat) {
            return switch (stat) {
                case 0 -> NOT_REGISTERED;
                case 1 -> HOME;
                case 2 -> SEARCHING;
                case 3 -> DENIED;
                case 5 -> ROAMING;
                default -> UNKNOWN;
            };
        }
    }

    public boolean isRegistered() {
        return state == State.HOME || state == State.ROAMING;
    }

    @Override
    public String toString() {
        return state.name().toLowerCase().replace('_', ' ') + " (" + command + ")";
    }
}
