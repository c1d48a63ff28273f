package dev.atmodem.driver.bg96;

import dev.atmodem.spi.DriverContext;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemDriver;
import dev.atmodem.spi.ModemIdentity;

import java.util.Optional;

/**
 * Quectel BG96 family. Driver options: {@code bg96.accessMode} = {@code buffer} (default: data waits on the modem
 * until read with AT+QIRD) or {@code push} (the modem pushes data inside {@code +QIURC: "recv"}); {@code bg96.context}
 * = the PDP context id, 1-16 (default 1).
 */
public final class Bg96Driver implements ModemDriver {

    @Override
    public String name() {
        return "bg96";
    }

    @Override
    public Optional<ModelCapabilities> recognize(ModemIdentity identity) {
        return Bg96Models.recognize(identity);
    }

    @Override
    public DriverSession create(DriverContext context) {
        return new Bg96Session(context);
    }
}
