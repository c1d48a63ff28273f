package dev.atmodem.at;

import java.util.Map;

/**
 * The common 3GPP TS 27.007 {@code +CME ERROR} codes in plain words, and the parsing of error finals whose form
 * varies between modems (numeric, upper or lower case text; QUIRKS 13).
 */
public final class CmeErrors {

    private static final Map<Integer, String> MEANINGS = Map.ofEntries(
            Map.entry(0, "phone failure"),
            Map.entry(1, "no connection to phone"),
            Map.entry(3, "operation not allowed"),
            Map.entry(4, "operation not supported"),
            Map.entry(5, "PH-SIM PIN required"),
            Map.entry(10, "SIM not inserted"),
            Map.entry(11, "SIM PIN required"),
            Map.entry(12, "SIM PUK required"),
            Map.entry(13, "SIM failure"),
            Map.entry(14, "SIM busy"),
            Map.entry(15, "SIM wrong"),
            Map.entry(16, "incorrect password (wrong PIN?)"),
            Map.entry(17, "SIM PIN2 required"),
            Map.entry(18, "SIM PUK2 required"),
            Map.entry(20, "memory full"),
            Map.entry(21, "invalid index"),
            Map.entry(22, "not found"),
            Map.entry(23, "memory failure"),
            Map.entry(24, "text string too long"),
            Map.entry(25, "invalid characters in text string"),
            Map.entry(26, "dial string too long"),
            Map.entry(27, "invalid characters in dial string"),
            Map.entry(30, "no network service"),
            Map.entry(31, "network timeout"),
            Map.entry(32, "network not allowed - emergency calls only"),
            Map.entry(50, "incorrect parameters"),
            Map.entry(100, "unknown error"),
            Map.entry(103, "illegal MS"),
            Map.entry(106, "illegal ME"),
            Map.entry(107, "GPRS services not allowed"),
            Map.entry(111, "PLMN not allowed"),
            Map.entry(112, "location area not allowed"),
            Map.entry(113, "roaming not allowed in this location area"),
            Map.entry(132, "service option not supported"),
            Map.entry(133, "requested service option not subscribed"),
            Map.entry(134, "service option temporarily out of order"),
            Map.entry(148, "unspecified GPRS error"),
            Map.entry(149, "PDP authentication failure (wrong APN user or password?)"),
            Map.entry(150, "invalid mobile class"));

    private CmeErrors() {
    }

    /** Plain-words meaning of a numeric CME code, or null if not in the table. */
    public static String meaning(int code) {
        return MEANINGS.get(code);
    }

    /** True for the error finals every modem family uses. */
    static boolean isErrorFinal(String line) {
        return line.equals("ERROR") || line.startsWith("+CME ERROR") || line.startsWith("+CMS ERROR");
    }

    static boolean isDetailedError(String line) {
        return line.startsWith("+CME ERROR") || line.startsWith("+CMS ERROR");
    }

    /** Builds the exception for an error final, decoding numeric and textual CME/CMS forms. */
    static AtException toException(String command, String answer) {
        if (!isDetailedError(answer)) {
            return new AtException(command, answer, null, null);
        }
        boolean cme = answer.startsWith("+CME");
        int colon = answer.indexOf(':');
        String detail = colon < 0 ? "" : answer.substring(colon + 1).trim();
        Integer code = parseCode(detail);
        String meaning;
        if (code != null) {
            meaning = cme ? meaning(code) : "SMS error " + code;
        } else {
            meaning = detail.isEmpty() ? null : detail;
        }
        return new AtException(command, answer, code, meaning);
    }

    private static Integer parseCode(String s) {
        if (s.isEmpty() || s.length() > 6) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.parseInt(s);
    }
}
