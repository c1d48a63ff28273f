package dev.atmodem.driver.ublox;

import java.util.Map;

/**
 * The socket error codes of {@code AT+USOER} and {@code AT+USOCTL=<s>,1} in plain words. The manual lists them in its
 * appendix A.5 as BSD-style errno values; only 0 (no error) and 11 (the queue is full) are confirmed in
 * AT-REFERENCE §3B, the rest are the usual errno meanings (UNCONFIRMED there).
 */
final class UbloxErrors {

    static final int NONE = 0;
    static final int QUEUE_FULL = 11;
    static final int INVALID_ARGUMENT = 22;

    private static final Map<Integer, String> MEANINGS = Map.ofEntries(
            Map.entry(0, "no error"),
            Map.entry(1, "operation not permitted"),
            Map.entry(2, "no such resource"),
            Map.entry(4, "interrupted"),
            Map.entry(5, "input/output error"),
            Map.entry(9, "bad socket"),
            Map.entry(11, "the send queue is full, try again"),
            Map.entry(12, "out of memory"),
            Map.entry(13, "permission denied"),
            Map.entry(16, "resource busy"),
            Map.entry(22, "invalid argument"),
            Map.entry(32, "broken pipe: the connection is gone"),
            Map.entry(100, "the network is down"),
            Map.entry(101, "the network is unreachable"),
            Map.entry(103, "the connection was aborted"),
            Map.entry(104, "the connection was reset by the peer"),
            Map.entry(105, "no buffer space"),
            Map.entry(107, "the socket is not connected"),
            Map.entry(108, "the socket was shut down"),
            Map.entry(110, "the connection timed out"),
            Map.entry(111, "the connection was refused"),
            Map.entry(112, "the host is down"),
            Map.entry(113, "no route to the host"),
            Map.entry(114, "an operation is already in progress"),
            Map.entry(115, "the operation is in progress"));

    /** {@code AT+USOCTL=<s>,10} TCP states (AT-REFERENCE §3B). */
    private static final String[] TCP_STATES = {"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED",
        "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"};

    private UbloxErrors() {
    }

    static String meaning(int code) {
        return MEANINGS.getOrDefault(code, "socket error " + code);
    }

    /** "u-blox socket error 111: the connection was refused". */
    static String describe(int code) {
        return "u-blox socket error " + code + ": " + meaning(code);
    }

    static String tcpState(int state) {
        return state >= 0 && state < TCP_STATES.length ? TCP_STATES[state] : "state " + state;
    }
}
