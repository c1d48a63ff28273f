package dev.atmodem.driver.ublox;

import dev.atmodem.spi.Bearer;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemIdentity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The capability table of the SARA modules this driver speaks to (AT-REFERENCE §3C, §5): 7 sockets (ids 0-6, assigned
 * by the module), 1024 bytes per binary {@code AT+USOWR} and per {@code AT+USORD}, DNS with {@code AT+UDNSRN},
 * network time with {@code AT+CCLK?}, and the module's own TLS (unused: atmodem layers host TLS).
 */
final class SaraModels {

    /** How the data connection is made: SARA-R4 uses the 3GPP context directly, SARA-R5 maps it to a PSD profile. */
    enum Family { R4, R5 }

    private record Row(String pattern, String model, Family family) {
    }

    // Most specific first: the first pattern found in the model answer (or ATI) wins.
    private static final List<Row> ROWS = List.of(
            new Row("SARA-R410M", "SARA-R410M", Family.R4),
            new Row("SARA-R412M", "SARA-R412M", Family.R4),
            new Row("SARA-R422", "SARA-R422", Family.R4),
            new Row("SARA-R5", "SARA-R5", Family.R5));

    static final int SOCKETS = 7;
    static final int MAX_SEND = 1024;
    static final int MAX_READ = 1024;

    private SaraModels() {
    }

    static Optional<ModelCapabilities> recognize(ModemIdentity id) {
        String text = (id.model() + " " + String.join(" ", id.ati())).toUpperCase(Locale.ROOT);
        for (Row r : ROWS) {
            int at = text.indexOf(r.pattern());
            if (at >= 0) {
                String model = r.family() == Family.R5 ? word(text, at) : r.model();
                return Optional.of(row(model));
            }
        }
        return Optional.empty();
    }

    /** The whole model word at {@code start} ("SARA-R510S-01B" -> "SARA-R510S"), for the R5 rows. */
    private static String word(String text, int start) {
        int end = start;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '-')) {
            end++;
        }
        String w = text.substring(start, end);
        int dash = w.indexOf('-', "SARA-".length());
        return dash > 0 ? w.substring(0, dash) : w;
    }

    static ModelCapabilities row(String model) {
        return new ModelCapabilities(model, Bearer.CELLULAR, SOCKETS, MAX_SEND, MAX_READ, true, true, true, true);
    }

    static Family family(ModelCapabilities caps) {
        return caps.model().startsWith("SARA-R5") ? Family.R5 : Family.R4;
    }
}
