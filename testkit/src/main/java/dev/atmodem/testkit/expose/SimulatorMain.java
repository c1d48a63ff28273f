package dev.atmodem.testkit.expose;

import dev.atmodem.testkit.sim.Dialects;
import dev.atmodem.testkit.sim.LinkConditions;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.SimOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Starts a simulated modem on a pseudo-terminal or a TCP port and prints where it is:
 *
 * <pre>
 * java -cp ... dev.atmodem.testkit.expose.SimulatorMain --dialect bg96 --pty /tmp/ttyBG96 --baud 115200 --rtt 100
 * java -cp ... dev.atmodem.testkit.expose.SimulatorMain --tcp 5555 --name broker.test=127.0.0.1
 * java -cp ... dev.atmodem.testkit.expose.SimulatorMain --dialect nina-w --tcp 5556 --ap-ssid lab --ap-pass secret123
 * </pre>
 *
 * {@link #start(String[], PrintStream)} is the reusable part (the {@code atmodem simulate} command calls it).
 */
public final class SimulatorMain {

    static final String USAGE = String.join("\n",
            "usage: SimulatorMain [--dialect NAME] (--tcp PORT | --pty PATH) [--baud 115200] [--rtt MS]",
            "                     [--fragment MIN-MAX] [--seed N] [--pin PIN] [--name HOST=IPV4 ...]",
            "                     [--ap-ssid SSID] [--ap-pass PASSPHRASE]",
            "  --dialect NAME modem family (default bg96; see the list below)",
            "  --tcp PORT     serve on tcp://127.0.0.1:PORT (0 = any free port); each connection is a fresh modem",
            "  --pty PATH     create a pseudo-terminal linked at PATH (needs socat)",
            "  --baud N       serial line rate, 0 = unpaced (default 115200)",
            "  --rtt MS       network round trip (default 0)",
            "  --fragment A-B cut the modem's output into random pieces of A..B bytes",
            "  --name H=IP    add a name to the modem's DNS (loopback addresses only are reachable)",
            "  --ap-ssid S    Wi-Fi dialects: the access point's SSID (default " + SimOptions.DEFAULT_AP_SSID + ")",
            "  --ap-pass P    Wi-Fi dialects: its WPA2 passphrase, \"\" for an open network (default "
                    + SimOptions.DEFAULT_AP_PASSPHRASE + ")",
            "  dialects: " + Dialects.names());

    private SimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        AutoCloseable running;
        try {
            running = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("closing the simulator: " + e);
            }
            stop.countDown();
        }, "simulator-shutdown"));
        stop.await();
    }

    /** Parses {@code args}, starts the exposure, prints where it is, and returns it (close it to stop). */
    public static AutoCloseable start(String[] args, PrintStream out) throws IOException {
        Map<String, String> names = new LinkedHashMap<>();
        String dialect = "bg96";
        Integer tcpPort = null;
        Path pty = null;
        int baud = 115200;
        int rtt = 0;
        int fragMin = 0;
        int fragMax = 0;
        long seed = 1;
        String pin = null;
        String apSsid = SimOptions.DEFAULT_AP_SSID;
        String apPass = SimOptions.DEFAULT_AP_PASSPHRASE;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (v == null) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            i++;
            switch (a) {
                case "--dialect" -> dialect = v;
                case "--tcp" -> tcpPort = number(a, v);
                case "--pty" -> pty = Path.of(v);
                case "--baud" -> baud = number(a, v);
                case "--rtt" -> rtt = number(a, v);
                case "--seed" -> seed = number(a, v);
                case "--pin" -> pin = v;
                case "--ap-ssid" -> apSsid = v;
                case "--ap-pass" -> apPass = v;
                case "--fragment" -> {
                    String[] mm = v.split("-", 2);
                    if (mm.length != 2) {
                        throw new IllegalArgumentException("--fragment wants MIN-MAX, got " + v);
                    }
                    fragMin = number(a, mm[0]);
                    fragMax = number(a, mm[1]);
                }
                case "--name" -> {
                    String[] kv = v.split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("--name wants HOST=IPV4, got " + v);
                    }
                    names.put(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if ((tcpPort == null) == (pty == null)) {
            throw new IllegalArgumentException("give exactly one of --tcp PORT or --pty PATH");
        }
        Dialects.create(dialect);   // fails early on an unknown name
        LinkConditions conditions = new LinkConditions(baud, fragMin, fragMax, rtt, seed);
        String d = dialect;
        String p = pin;
        String ssid = apSsid;
        String pass = apPass;
        Supplier<ModemSimulator> factory = () -> {
            ModemSimulator.Builder b = ModemSimulator.builder(d).conditions(conditions).accessPoint(ssid, pass);
            if (p != null) {
                b.pin(p);
            }
            ModemSimulator sim = b.build();
            names.forEach((h, ip) -> sim.names().put(h, ip));
            return sim;
        };
        if (pty != null) {
            if (!PtyExposure.socatAvailable()) {
                throw new IOException("--pty needs socat (apt-get install socat); or use --tcp PORT");
            }
            PtyExposure e = PtyExposure.start(pty, factory);
            out.println(d + " simulator on " + e.device() + " (link " + e.link() + "), " + baud + " baud, rtt "
                    + rtt + " ms");
            return e;
        }
        TcpExposure e = TcpExposure.start(tcpPort, factory);
        out.println(d + " simulator on " + e.url() + ", " + baud + " baud, rtt " + rtt + " ms");
        return e;
    }

    private static int number(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants a number, got " + v);
        }
    }
}
