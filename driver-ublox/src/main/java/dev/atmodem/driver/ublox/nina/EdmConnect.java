package dev.atmodem.driver.ublox.nina;

/**
 * An EDM connect event (AT-REFERENCE §4C). For IPv4 the body is: channel, conn type 0x02, protocol (0 TCP, 1 UDP,
 * 2 MQTT), remote address (4), remote port (2, big-endian), local address (4), local port (2).
 *
 * @param channel    the EDM channel data will use
 * @param connType   1 Bluetooth, 2 IPv4, 3 IPv6
 * @param protocol   0 TCP, 1 UDP, 2 MQTT (IPv4/IPv6 only; -1 otherwise)
 * @param remote     the remote address as text ("" when not IPv4)
 * @param remotePort the remote port (-1 when not IP)
 * @param local      the local address as text
 * @param localPort  the local port
 */
record EdmConnect(int channel, int connType, int protocol, String remote, int remotePort, String local,
                  int localPort) {

    static final int IPV4 = 0x02;

    /** Parses the body after the type byte; null when it is too short to hold even a channel and a type. */
    static EdmConnect parse(byte[] body) {
        if (body.length < 2) {
            return null;
        }
        int channel = body[0] & 0xff;
        int type = body[1] & 0xff;
        if (type != IPV4 || body.length < 15) {
            return new EdmConnect(channel, type, -1, "", -1, "", -1);
        }
        return new EdmConnect(channel, type, body[2] & 0xff, ipv4(body, 3), port(body, 7), ipv4(body, 9),
                port(body, 13));
    }

    private static String ipv4(byte[] b, int at) {
        return (b[at] & 0xff) + "." + (b[at + 1] & 0xff) + "." + (b[at + 2] & 0xff) + "." + (b[at + 3] & 0xff);
    }

    private static int port(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }
}
