package dev.atmodem.driver.ublox.nina;

import dev.atmodem.spi.Bearer;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemIdentity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The u-connectXpress gen1 Wi-Fi modules this driver speaks to (AT-REFERENCE §4): NINA-W1 (NINA-W10x/W13x/W15x) and
 * ODIN-W2. Sockets are peers carried over EDM; one data-command frame holds up to {@link #MAX_SEND} bytes (ubxlib's IP
 * MTU for EDM, §4C). No DNS lookup of its own (host names go into the peer URL), no UDP or network time here yet.
 */
public final class NinaModels {

    /** Peers open at once: ubxlib's gen1 socket table has 7 entries (UNCONFIRMED as a module limit). */
    static final int PEERS = 7;
    /** One EDM data command: U_SHORT_RANGE_EDM_MTU_IP_MAX_SIZE (§4C). */
    static final int MAX_SEND = 635;
    /** Data arrives pushed in EDM data events; the socket engine never issues a read command. */
    static final int MAX_READ = Edm.MAX_LENGTH - 3;

    private static final List<String> FAMILIES = List.of("NINA-W1", "ODIN-W2");

    private NinaModels() {
    }

    /** A row when any identity answer names a NINA-W1 or ODIN-W2 (model answer, ATI, ATI9). */
    public static Optional<ModelCapabilities> recognize(ModemIdentity id) {
        String text = (id.model() + " " + String.join(" ", id.ati())).toUpperCase(Locale.ROOT);
        for (String family : FAMILIES) {
            int at = text.indexOf(family);
            if (at >= 0) {
                return Optional.of(row(word(text, at)));
            }
        }
        return Optional.empty();
    }

    /** The model word at {@code start}: "NINA-W132-04B" -> "NINA-W132". */
    private static String word(String text, int start) {
        int end = start;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '-')) {
            end++;
        }
        String w = text.substring(start, end);
        int dash = w.indexOf('-', 5);
        return dash > 0 ? w.substring(0, dash) : w;
    }

    static ModelCapabilities row(String model) {
        return new ModelCapabilities(model, Bearer.WIFI, PEERS, MAX_SEND, MAX_READ, false, false, false, false);
    }
}
