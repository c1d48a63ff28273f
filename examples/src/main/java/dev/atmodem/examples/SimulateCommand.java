package dev.atmodem.examples;

import dev.atmodem.testkit.expose.PtyExposure;
import dev.atmodem.testkit.expose.TcpExposure;
import dev.atmodem.testkit.sim.ModemSimulator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs a simulated modem on a pseudo-terminal or a TCP port, for other programs to open. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run a simulated modem for other programs: on a pseudo-terminal (--pty, needs socat) or on"
                + " tcp://127.0.0.1:PORT (--tcp). Each connection is a freshly powered-on modem.",
                "Then, in a second terminal: atmodem info --port /dev/pts/N (or --port tcp://127.0.0.1:PORT).",
                "Its sockets reach 127.0.0.0/8 only. Stop it with Ctrl-C."})
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--dialect", paramLabel = "D", defaultValue = "bg96",
            description = "The modem to simulate (default ${DEFAULT-VALUE}).")
    String dialect;

    /** Exactly one place to serve the modem. */
    static final class Where {
        @Option(names = "--pty", paramLabel = "PATH", arity = "0..1", fallbackValue = "",
                description = "Create a pseudo-terminal with a link at PATH (default /tmp/atmodem-<dialect>).")
        String pty;

        @Option(names = "--tcp", paramLabel = "PORT", description = "Serve on tcp://127.0.0.1:PORT (0: any free port).")
        Integer tcp;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    @Option(names = "--baud", paramLabel = "N", defaultValue = "115200",
            description = "Serial line pacing, 0 = unpaced (default ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--rtt-ms", paramLabel = "MS", defaultValue = "100",
            description = "Network round trip (default ${DEFAULT-VALUE} ms).")
    int rttMillis;

    @Option(names = "--pin", paramLabel = "PIN", description = "Lock the simulated SIM with this PIN.")
    String pin;

    @Option(names = "--sim-name", paramLabel = "HOST=IPV4",
            description = "Add a name to the modem's DNS (loopback addresses only).")
    Map<String, String> names = new LinkedHashMap<>();

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after this many seconds (default: run until Ctrl-C).")
    long durationSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String d = ModemConnector.simulatorDialect(dialect.toLowerCase(java.util.Locale.ROOT));
        if (baud < 0 || rttMillis < 0) {
            throw new CliException("--baud and --rtt-ms must not be negative");
        }
        Supplier<ModemSimulator> factory = () -> {
            ModemSimulator.Builder b = ModemSimulator.builder(d).baud(baud).rttMillis(rttMillis);
            if (pin != null) {
                b.pin(pin);
            }
            ModemSimulator sim = b.build();
            names.forEach((h, ip) -> sim.names().put(h, ip));
            return sim;
        };
        factory.get().close(); // fails here, not in the acceptor thread, if a --sim-name is wrong
        AutoCloseable running;
        String where;
        String port;
        if (this.where.pty != null) {
            if (!PtyExposure.socatAvailable()) {
                throw new CliException("--pty needs socat (sudo apt-get install socat); or use --tcp PORT");
            }
            Path link = Path.of(this.where.pty.isEmpty() ? "/tmp/atmodem-" + d : this.where.pty);
            PtyExposure pty = PtyExposure.start(link, factory);
            running = pty;
            port = pty.device();
            where = pty.device() + " (link " + pty.link() + ")";
        } else {
            TcpExposure tcp = TcpExposure.start(this.where.tcp, factory);
            running = tcp;
            port = tcp.url();
            where = tcp.url();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            closeQuietly(running, spec.commandLine().getErr());
            stopped.countDown();
        }, "atmodem-simulate-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(d + " simulator on " + where + ", " + (baud == 0 ? "unpaced" : baud + " baud") + ", rtt "
                + rttMillis + " ms");
        out.println("try: java -jar atmodem.jar info --port " + port + (durationSeconds > 0 ? ""
                : "   (Ctrl-C stops the simulator)"));
        out.flush();
        try {
            if (durationSeconds > 0) {
                stopped.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                stopped.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (stopped.getCount() > 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
                closeQuietly(running, spec.commandLine().getErr());
            }
        }
        return 0;
    }

    private static void closeQuietly(AutoCloseable c, PrintWriter err) {
        try {
            c.close();
        } catch (Exception e) {
            err.println("stopping the simulator: " + e.getMessage());
            err.flush();
        }
    }
}
