package dev.atmodem.spi;

/**
 * One row of a driver's capability table: what a given model can do. The socket engine sizes its chunks and limits
 * from it; the facade refuses what the model cannot do with a clear message instead of a cryptic modem error.
 *
 * @param model        the model name as users know it ("BG96", "SIM800L")
 * @param bearer       cellular or Wi-Fi
 * @param maxSockets   how many sockets can be open at once
 * @param maxSendChunk the largest payload of one send command
 * @param maxReadChunk the largest payload of one read command
 * @param udp          UDP sockets supported
 * @param dns          the modem can resolve names
 * @param networkTime  the modem can report network time
 * @param modemTls     the modem has its own TLS stack (atmodem uses host TLS regardless)
 */
public record ModelCapabilities(String model, Bearer bearer, int maxSockets, int maxSendChunk, int maxReadChunk,
                                boolean udp, boolean dns, boolean networkTime, boolean modemTls) {

    public ModelCapabilities {
        if (maxSockets < 1 || maxSendChunk < 1 || maxReadChunk < 1) {
            throw new IllegalArgumentException("capability limits must be positive for " + model);
        }
    }
}
