package dev.atmodem.testkit.sim;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The simulated operator's DNS. It never asks the host's resolver: names resolve only from this table, and dotted IPv4
 * literals resolve to themselves. {@code localhost} and {@code broker.test} are preset to 127.0.0.1.
 */
public final class NameTable {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private final Map<String, List<String>> names = new ConcurrentHashMap<>();

    public NameTable() {
        put("localhost", "127.0.0.1");
        put("broker.test", "127.0.0.1");
    }

    /** Maps {@code name} to one or more dotted IPv4 addresses (replacing any previous entry). */
    public NameTable put(String name, String... addresses) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("no address for " + name);
        }
        for (String a : addresses) {
            if (!isIpv4(a)) {
                throw new IllegalArgumentException("not a dotted IPv4 address: " + a);
            }
        }
        names.put(name.toLowerCase(Locale.ROOT), List.of(addresses));
        return this;
    }

    public NameTable remove(String name) {
        names.remove(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** The addresses for a host name or IPv4 literal; empty when the name is unknown. */
    public Optional<List<String>> resolve(String host) {
        if (isIpv4(host)) {
            return Optional.of(List.of(host));
        }
        return Optional.ofNullable(names.get(host.toLowerCase(Locale.ROOT)));
    }

    public static boolean isIpv4(String s) {
        var m = IPV4.matcher(s);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Only 127.0.0.0/8 is reachable: no simulated traffic ever leaves the machine. */
    public static boolean isLoopback(String ipv4) {
        return isIpv4(ipv4) && ipv4.startsWith("127.");
    }
}
