package dev.atmodem.testkit.sim.bg96;

import java.util.Map;

/** Quectel TCP/IP result codes (AT-REFERENCE §1E), used in URCs, {@code AT+QIGETERROR} and CMEE mode 2. */
public final class Bg96Errors {

    public static final int OK = 0;
    public static final int UNKNOWN = 550;
    public static final int INVALID_PARAMETERS = 552;
    public static final int OPERATION_NOT_SUPPORTED = 555;
    public static final int OPEN_PDP_FAILED = 561;
    public static final int SOCKET_ID_USED = 563;
    public static final int DNS_BUSY = 564;
    public static final int DNS_PARSE_FAILED = 565;
    public static final int SOCKET_CONNECT_FAILED = 566;
    public static final int SOCKET_CLOSED = 567;
    public static final int PDP_BROKEN = 570;
    public static final int OPERATION_NOT_ALLOWED = 572;

    private static final Map<Integer, String> TEXTS = Map.ofEntries(
            Map.entry(0, "Operation successful"),
            Map.entry(550, "Unknown error"),
            Map.entry(551, "Operation blocked"),
            Map.entry(552, "Invalid parameters"),
            Map.entry(553, "Memory not enough"),
            Map.entry(554, "Create socket failed"),
            Map.entry(555, "Operation not supported"),
            Map.entry(556, "Socket bind failed"),
            Map.entry(557, "Socket listen failed"),
            Map.entry(558, "Socket write failed"),
            Map.entry(559, "Socket read failed"),
            Map.entry(560, "Socket accept failed"),
            Map.entry(561, "Open PDP context failed"),
            Map.entry(562, "Close PDP context failed"),
            Map.entry(563, "Socket identity has been used"),
            Map.entry(564, "DNS busy"),
            Map.entry(565, "DNS parse failed"),
            Map.entry(566, "Socket connect failed"),
            Map.entry(567, "Socket has been closed"),
            Map.entry(568, "Operation busy"),
            Map.entry(569, "Operation timeout"),
            Map.entry(570, "PDP context broken down"),
            Map.entry(571, "Cancel send"),
            Map.entry(572, "Operation not allowed"),
            Map.entry(573, "APN not configured"),
            Map.entry(574, "Port busy"));

    private Bg96Errors() {
    }

    public static String text(int code) {
        return TEXTS.get(code);
    }
}
