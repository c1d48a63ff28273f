package dev.atmodem.tls;

/**
 * What a TLS handshake cost on the modem's link: payload bytes each way and request/response round trips. On a
 * metered cellular link this is money; on a 2G link each round trip is most of a second.
 */
public record HandshakeCost(long bytesSent, long bytesReceived, long roundTrips, boolean resumed) {

    @Override
    public String toString() {
        return bytesSent + " B sent, " + bytesReceived + " B received, " + roundTrips + " round trips"
                + (resumed ? " (resumed session)" : "");
    }
}
