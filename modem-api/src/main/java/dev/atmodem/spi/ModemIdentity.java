package dev.atmodem.spi;

import java.util.List;
import java.util.Locale;

/**
 * What the modem says about itself before a driver is chosen: the answers to {@code AT+CGMI}, {@code AT+CGMM},
 * {@code AT+CGMR} and {@code ATI} (any of which may be empty when the modem refused it).
 */
public record ModemIdentity(String manufacturer, String model, String revision, List<String> ati) {

    public ModemIdentity {
        manufacturer = manufacturer == null ? "" : manufacturer;
        model = model == null ? "" : model;
        revision = revision == null ? "" : revision;
        ati = List.copyOf(ati);
    }

    /** True if any answer contains {@code word}, ignoring case: the usual way a driver recognises a family. */
    public boolean mentions(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (manufacturer.toLowerCase(Locale.ROOT).contains(w) || model.toLowerCase(Locale.ROOT).contains(w)) {
            return true;
        }
        return ati.stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).contains(w));
    }

    @Override
    public String toString() {
        return (manufacturer + " " + model + " " + revision).trim();
    }
}
