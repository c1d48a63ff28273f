package dev.atmodem.driver.sim800;

import dev.atmodem.spi.Bearer;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemIdentity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The capability table of the SIMCom models that share the SIM800 TCP/IP command set (AT-REFERENCE §2C): six
 * connections (ids 0-5) in multi-connection mode, eight (ids 0-7) on the SIM900; 1460 bytes per {@code AT+CIPSEND}
 * at most (the session lowers it to what {@code AT+CIPSEND?} reports) and per {@code AT+CIPRXGET=2}.
 */
final class Sim800Models {

    /** The largest chunk of one AT+CIPSEND and one AT+CIPRXGET=2 (the reference's 1460 for reads; typical for sends). */
    static final int MAX_CHUNK = 1460;

    /** Most specific first: "SIM800L" must win over "SIM800". */
    private static final List<String> MODELS = List.of("SIM800C", "SIM800L", "SIM800H", "SIM808", "SIM868", "SIM900",
            "SIM800");

    private Sim800Models() {
    }

    static Optional<ModelCapabilities> recognize(ModemIdentity id) {
        String text = (id.manufacturer() + " " + id.model() + " " + String.join(" ", id.ati()))
                .toUpperCase(Locale.ROOT);
        for (String m : MODELS) {
            if (text.contains(m)) {
                return Optional.of(row(m));
            }
        }
        return Optional.empty();
    }

    static ModelCapabilities row(String model) {
        boolean sim900 = model.equals("SIM900");
        // SSL on the module (AT+CIPSSL, TLS 1.0 at most) is documented for SIM800 firmware R14.18 and later only.
        return new ModelCapabilities(model, Bearer.CELLULAR, sim900 ? 8 : 6, MAX_CHUNK, MAX_CHUNK, true, true, true,
                !sim900);
    }
}
