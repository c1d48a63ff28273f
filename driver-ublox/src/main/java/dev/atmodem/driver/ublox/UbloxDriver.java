package dev.atmodem.driver.ublox;

import dev.atmodem.driver.ublox.nina.NinaDriver;
import dev.atmodem.driver.ublox.nina.NinaModels;
import dev.atmodem.spi.Bearer;
import dev.atmodem.spi.DriverContext;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemDriver;
import dev.atmodem.spi.ModemIdentity;

import java.util.Optional;

/**
 * u-blox modems: the SARA-R4/R5 cellular modules and their {@code AT+USOCR} socket commands (AT-REFERENCE §3), and
 * the NINA-W1/ODIN-W2 Wi-Fi modules, which speak u-connectXpress with peers and Extended Data Mode (§4, package
 * {@code dev.atmodem.driver.ublox.nina}). Which one it is comes from the identity answers (model, ATI).
 *
 * <p>Driver options ({@code ModemOptions.withDriverOption}): {@code ublox.context} = the PDP context id, 1-16
 * (default 1); {@code ublox.connect} = {@code async} (default: {@code AT+USOCO=...,1} and the {@code +UUSOCO} result)
 * or {@code sync} (the connect command itself waits for the TCP handshake; for SARA-R410M-01B, which has no async
 * connect); {@code ublox.write} = {@code binary} (default: {@code AT+USOWR} with the {@code @} prompt and its 50 ms
 * pause, 1024 bytes per command), {@code hex} (HEX mode, {@code AT+UDCONF=1,1}: 512 bytes per command as hex digits,
 * no prompt; about 0.48 of the line at any rate) or {@code auto} (whichever is faster at the line's rate, which the link
 * reports when it knows it, else {@code ModemOptions.baud()}: binary below about 213 000 baud, hex above; see
 * {@link SaraWriteMode}).
 * NINA-W: {@code nina.dataMode} = {@code edm} (default) or {@code command} (see
 * {@link dev.atmodem.driver.ublox.nina.NinaOperations}).
 */
public final class UbloxDriver implements ModemDriver {

    @Override
    public String name() {
        return "ublox";
    }

    @Override
    public Optional<ModelCapabilities> recognize(ModemIdentity identity) {
        Optional<ModelCapabilities> sara = SaraModels.recognize(identity);
        return sara.isPresent() ? sara : NinaModels.recognize(identity);
    }

    @Override
    public DriverSession create(DriverContext context) {
        if (context.capabilities().bearer() == Bearer.WIFI) {
            return NinaDriver.session(context);
        }
        return new SaraSession(context, SaraModels.family(context.capabilities()));
    }
}
