package dev.atmodem.spi;

import java.util.Optional;

/**
 * A pluggable modem driver, found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.atmodem.spi.ModemDriver}. A driver is mostly data (its capability table and URC
 * patterns) plus the small session that speaks its command set.
 */
public interface ModemDriver {

    /** Short lowercase name users select it by ({@code "bg96"}, {@code "sim800"}). */
    String name();

    /** The capability row for this modem if the driver handles it; empty otherwise. */
    Optional<ModelCapabilities> recognize(ModemIdentity identity);

    /**
     * Binds the driver to an open modem: registers its URC handlers and payload rules with {@code context.at()}, and
     * returns the session. Must not send commands yet.
     */
    DriverSession create(DriverContext context);
}
