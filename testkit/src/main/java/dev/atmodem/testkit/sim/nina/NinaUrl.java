package dev.atmodem.testkit.sim.nina;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer URL of {@code AT+UDCP} (§4B): {@code tcp://<host>:<port>/[?<query>]}; the query options
 * ({@code local_port}, {@code flush_tx}, {@code keepalive}) are accepted and ignored.
 */
record NinaUrl(String scheme, String host, int port) {

    private static final Pattern URL = Pattern.compile(
            "([a-z-]+)://([A-Za-z0-9.\\-]{1,253}):(\\d{1,5})/?(\\?[A-Za-z0-9_=&+.\\-]*)?");

    /** The URL, or null when it is malformed. */
    static NinaUrl parse(String s) {
        Matcher m = URL.matcher(s);
        if (!m.matches()) {
            return null;
        }
        int port = Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            return null;
        }
        return new NinaUrl(m.group(1), m.group(2), port);
    }
}
