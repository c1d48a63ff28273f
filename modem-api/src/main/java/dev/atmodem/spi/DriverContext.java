package dev.atmodem.spi;

import dev.atmodem.ModemOptions;
import dev.atmodem.at.AtEngine;
import dev.atmodem.link.FramedLink;

import java.time.Duration;

/**
 * What a driver gets when it is bound to an open modem.
 *
 * @param at           the AT engine (commands, URC routes, payload rules, follow-ups)
 * @param identity     what the modem said about itself
 * @param capabilities the capability row the driver chose
 * @param options      the user's options
 * @param events       where to report socket and modem events from URC handlers
 * @param link         the link under the AT engine, for drivers that frame the line themselves (u-blox EDM);
 *                     null when the engine was built on a bare link (scripted tests)
 */
public record DriverContext(AtEngine at, ModemIdentity identity, ModelCapabilities capabilities,
                            ModemOptions options, SocketEvents events, FramedLink link) {

    /** A context without a framed link: for drivers that only speak plain AT. */
    public DriverContext(AtEngine at, ModemIdentity identity, ModelCapabilities capabilities, ModemOptions options,
                         SocketEvents events) {
        this(at, identity, capabilities, options, events, null);
    }

    /** A command's timeout: the user's override by name, else the driver's default. */
    public Duration timeout(String command, Duration driverDefault) {
        return options.timeout(command, driverDefault);
    }
}
