package dev.atmodem.driver.sim800;

import dev.atmodem.spi.DriverContext;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemDriver;
import dev.atmodem.spi.ModemIdentity;

import java.util.Optional;

/**
 * SIMCom SIM800 family (SIM800, SIM800C, SIM800L, SIM800H, SIM808, SIM868; SIM900 with eight connections), using the
 * multi-connection IP stack: AT+CSTT/CIICR/CIFSR, AT+CIPSTART, AT+CIPSEND, AT+CIPRXGET, AT+CIPCLOSE.
 *
 * <p>Driver options ({@code ModemOptions.withDriverOption}):
 * <ul>
 *   <li>{@code sim800.receive} = {@code manual} (default: data waits on the modem and is fetched with
 *       {@code AT+CIPRXGET=2}) or {@code push} (the modem pushes it inside {@code +RECEIVE,<n>,<len>:}).</li>
 *   <li>{@code sim800.quickSend} = {@code true} (default, {@code AT+CIPQSEND=1}: a send completes when the modem has
 *       accepted the bytes, {@code DATA ACCEPT:<n>,<len>}, as a JDK socket's write completes once the kernel has them)
 *       or {@code false} (a send completes on {@code <n>, SEND OK}, after the peer's TCP acknowledgement: one network
 *       round trip per write).</li>
 * </ul>
 * Command timeouts are listed in {@link Sim800Session}.
 */
public final class Sim800Driver implements ModemDriver {

    @Override
    public String name() {
        return "sim800";
    }

    @Override
    public Optional<ModelCapabilities> recognize(ModemIdentity identity) {
        return Sim800Models.recognize(identity);
    }

    @Override
    public DriverSession create(DriverContext context) {
        return new Sim800Session(context);
    }
}
