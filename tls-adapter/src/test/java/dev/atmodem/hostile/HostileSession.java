package dev.atmodem.hostile;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.hostile.HostileModem;
import dev.atmodem.testkit.sim.ModemSimulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One driver session against a hostile modem, as a user runs it: open the modem (bring-up, attach), connect a socket to
 * an echo server on 127.0.0.1 by host name, send, read the echo, close. The only acceptable failures are
 * {@link IOException}s (what the API promises); any other exception escapes to the caller, and a session that does not
 * end within its deadline is reported as a hang with every thread's stack.
 */
final class HostileSession {

    /** Far above the sum of the short timeouts below; a session this long is stuck. */
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private static final byte[] DATA = "hostile input: these bytes must come back\r\n".getBytes();
    private static final Duration SHORT = Duration.ofMillis(400);
    private static final String[] NAMED_TIMEOUTS = {"CDNSGIP", "CGACT", "CGATT", "CIFSR", "CIICR", "CIPCLOSE",
        "CIPRXGET", "CIPSEND", "CIPSHUT", "CIPSTART", "CIPSTATUS", "CSTT", "QIACT", "QICLOSE", "QIDEACT", "QIDNSGIP",
        "QIRD", "QISEND", "UDNSRN", "UPSDA", "USOCL", "USOCO", "USOCR", "USOCTL", "USORD", "USOWR", "UUPSDA",
        "ATO2", "UDCP", "UDCPC", "UNSTAT", "UUDPD", "UWSC", "wifi"};

    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-session");
        t.setDaemon(true);
        return t;
    });
    private static LoopbackPeer echo;

    private HostileSession() {
    }

    /** Options with every timeout short, so that a swallowed answer costs a fraction of a second, not minutes. */
    static ModemOptions fastOptions(DriverCase d) {
        ModemOptions o = d.baseOptions()
                .withCommandTimeout(SHORT).withBootTimeout(Duration.ofSeconds(2))
                .withRegistrationTimeout(Duration.ofSeconds(1)).withConnectTimeout(Duration.ofSeconds(1))
                .withWriteTimeout(Duration.ofSeconds(2))
                .withPolling(Duration.ofMillis(50), Duration.ofMillis(200))
                .withRecovery(false, Duration.ofMillis(100), Duration.ofMillis(200));
        for (String name : NAMED_TIMEOUTS) {
            o = o.withTimeout(name, SHORT);
        }
        return o;
    }

    static synchronized int echoPort() throws IOException {
        if (echo == null) {
            echo = LoopbackPeer.echo();
        }
        return echo.port();
    }

    /** Runs one session; {@code setup} arms the hostile modem before the host opens it. */
    static void run(String dialect, java.util.function.Consumer<HostileModem> setup) throws Exception {
        DriverCase d = DriverCase.ALL.stream().filter(c -> c.dialect().equals(dialect)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no DriverCase row for " + dialect));
        int port = echoPort();
        Future<?> f = RUNNER.submit(() -> {
            try (ModemSimulator sim = ModemSimulator.builder(dialect).seed(11).build();
                 HostileModem h = HostileModem.over(sim)) {
                sim.names().put("echo.test", "127.0.0.1");
                setup.accept(h);
                session(h, port, d);
            }
            return null;
        });
        try {
            f.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw (Error) e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("a " + dialect + " session against a hostile modem hung for " + DEADLINE
                    + ":\n" + threadDump());
        }
    }

    private static void session(HostileModem h, int port, DriverCase d) {
        Modem modem;
        try {
            modem = Modem.open(h.hostLink(), fastOptions(d));
        } catch (IOException refused) {
            return; // the modem was too broken to bring up, and said so
        }
        try (modem) {
            try (Socket s = modem.socketFactory().createSocket("echo.test", port)) {
                s.setSoTimeout(500);
                OutputStream out = s.getOutputStream();
                out.write(DATA);
                out.flush();
                InputStream in = s.getInputStream();
                byte[] got = new byte[DATA.length];
                int n = 0;
                while (n < got.length) {
                    int r = in.read(got, n, got.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                // A hostile modem may corrupt data it announces itself, but never make the driver return more
                // bytes than were asked for or out of the buffer.
                if (n > got.length) {
                    throw new AssertionError("read more than asked: " + n);
                }
                Arrays.fill(got, (byte) 0);
            } catch (IOException expected) {
                // a socket failure with an IOException is the contract
            }
        }
    }

    static String threadDump() {
        StringBuilder b = new StringBuilder();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            b.append(t);
        }
        return b.toString();
    }
}
