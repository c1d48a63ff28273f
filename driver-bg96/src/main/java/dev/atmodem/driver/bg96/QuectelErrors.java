package dev.atmodem.driver.bg96;

import java.util.Map;

/** The Quectel TCP/IP result codes (the manual's "Summary of Error Codes") in plain words. */
final class QuectelErrors {

    static final int SOCKET_ID_USED = 563;

    private static final Map<Integer, String> MEANINGS = Map.ofEntries(
            Map.entry(550, "unknown error"),
            Map.entry(551, "operation blocked"),
            Map.entry(552, "invalid parameters"),
            Map.entry(553, "not enough memory"),
            Map.entry(554, "creating the socket failed"),
            Map.entry(555, "operation not supported"),
            Map.entry(556, "binding the socket failed"),
            Map.entry(557, "listening failed"),
            Map.entry(558, "writing to the socket failed"),
            Map.entry(559, "reading from the socket failed"),
            Map.entry(560, "accepting failed"),
            Map.entry(561, "activating the PDP context failed"),
            Map.entry(562, "deactivating the PDP context failed"),
            Map.entry(563, "the socket id is still in use"),
            Map.entry(564, "DNS busy"),
            Map.entry(565, "DNS lookup failed"),
            Map.entry(566, "the connection was refused or could not be made"),
            Map.entry(567, "the socket has been closed"),
            Map.entry(568, "operation busy"),
            Map.entry(569, "operation timed out"),
            Map.entry(570, "the PDP context broke down"),
            Map.entry(571, "sending was cancelled"),
            Map.entry(572, "operation not allowed"),
            Map.entry(573, "no APN configured"),
            Map.entry(574, "port busy"));

    private QuectelErrors() {
    }

    static String meaning(int code) {
        return MEANINGS.getOrDefault(code, "error " + code);
    }

    /** "Quectel 566: the connection was refused or could not be made". */
    static String describe(int code) {
        return "Quectel " + code + ": " + meaning(code);
    }
}
