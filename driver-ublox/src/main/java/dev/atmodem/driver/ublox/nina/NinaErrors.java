package dev.atmodem.driver.ublox.nina;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reasons of {@code +UUWLD:<conn_id>,<reason>} in plain words. AT-REFERENCE §4A gives the URC but not the reason
 * list; these are the meanings the u-connectXpress manual is understood to use (UNCONFIRMED).
 */
final class NinaErrors {

    private static final Pattern UUWLD = Pattern.compile("\\+UUWLD: ?\\d+,\\s*(\\d{1,9})(?!\\d).*");
    private static final Map<Integer, String> REASONS = Map.of(
            0, "unknown reason",
            1, "the access point closed the link",
            2, "the access point is out of range or not found",
            3, "roaming",
            4, "a security problem: wrong passphrase or authentication type",
            5, "the network was disabled");

    private NinaErrors() {
    }

    /** True for {@code +UUWLD:<id>,4}: the access point refused the passphrase or the authentication type. */
    static boolean isSecurity(String urc) {
        Matcher m = UUWLD.matcher(urc);
        return m.matches() && m.group(1).equals("4");
    }

    /** True for {@code +UUWLD:<id>,5}: the host disabled the network itself. */
    static boolean isDisabled(String urc) {
        Matcher m = UUWLD.matcher(urc);
        return m.matches() && m.group(1).equals("5");
    }

    /** ": <meaning>" for a {@code +UUWLD} line with a known reason, else "". */
    static String linkDownReason(String urc) {
        Matcher m = UUWLD.matcher(urc);
        if (!m.matches()) {
            return "";
        }
        String meaning = REASONS.get(Integer.parseInt(m.group(1)));
        return meaning == null ? "" : ": " + meaning;
    }
}
