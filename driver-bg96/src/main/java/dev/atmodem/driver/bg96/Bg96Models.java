package dev.atmodem.driver.bg96;

import dev.atmodem.spi.Bearer;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemIdentity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The capability table of the Quectel models that share the BG96 TCP/IP command set: 12 sockets (ids 0-11), 1460
 * bytes per AT+QISEND, 1500 per AT+QIRD (AT-REFERENCE §1C).
 */
final class Bg96Models {

    private static final List<String> MODELS = List.of("BG96", "BG95", "BG77", "BG600L", "EC21", "EC25", "EG25",
            "EG21");

    private Bg96Models() {
    }

    static Optional<ModelCapabilities> recognize(ModemIdentity id) {
        if (!id.mentions("quectel")) {
            return Optional.empty();
        }
        String text = (id.model() + " " + String.join(" ", id.ati())).toUpperCase(Locale.ROOT);
        for (String m : MODELS) {
            if (text.contains(m)) {
                return Optional.of(row(m));
            }
        }
        return Optional.empty();
    }

    static ModelCapabilities row(String model) {
        return new ModelCapabilities(model, Bearer.CELLULAR, 12, 1460, 1500, true, true, true, true);
    }
}
