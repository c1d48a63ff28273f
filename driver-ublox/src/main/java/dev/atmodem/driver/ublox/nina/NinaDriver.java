package dev.atmodem.driver.ublox.nina;

import dev.atmodem.spi.DriverContext;
import dev.atmodem.spi.DriverSession;

/** The entry {@link dev.atmodem.driver.ublox.UbloxDriver} uses for a recognised NINA-W / ODIN-W2. */
public final class NinaDriver {

    private NinaDriver() {
    }

    /** Binds a NINA session to an open modem (registers its URC handlers; sends nothing yet). */
    public static DriverSession session(DriverContext context) {
        return new NinaSession(context);
    }
}
