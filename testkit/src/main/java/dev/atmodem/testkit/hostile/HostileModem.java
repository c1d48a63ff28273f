package dev.atmodem.testkit.hostile;

import dev.atmodem.link.PipeLink;
import dev.atmodem.link.SerialLink;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A hostile or broken modem, made of any simulator dialect and a man in the middle on its serial line. It can
 * replace the answer to chosen commands (the simulator never sees them), add bytes after a command's real answer, or
 * inject bytes into the host's input at any moment, always between two of the simulator's writes, never inside one.
 *
 * <pre>
 * HostileModem h = HostileModem.over(ModemSimulator.builder("bg96").build());
 * h.answerNext("AT\\+QIRD=.*", HostileBytes.of("\r\n+QIRD: 2147483647\r\n"));   // an absurd payload length
 * h.answerNext("AT\\+QISEND=.*", new byte[0]);                                   // a prompt that never comes
 * h.inject(HostileBytes.endlessLine(HostileBytes.MIB));                          // 1 MiB without a line end
 * Modem.open(h.hostLink(), options) ...
 * </pre>
 *
 * A command is recognised when the host writes it in one {@code write} call ending in CR, as the AT engine does, or
 * as one EDM AT-request frame (NINA-W in data mode); see {@link #commandLine}.
 */
public final class HostileModem implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HostileModem.class);

    /** What to do with one command line from the host. */
    public record Reaction(boolean forward, byte[] bytes) {

        public static final Reaction PASS = new Reaction(true, null);

        /** The simulator never sees the command; {@code bytes} go to the host instead. */
        public static Reaction replace(byte[] bytes) {
            return new Reaction(false, Objects.requireNonNull(bytes));
        }

        /** The simulator answers as usual; {@code bytes} are injected right after the command is handed over. */
        public static Reaction thenInject(byte[] bytes) {
            return new Reaction(true, Objects.requireNonNull(bytes));
        }
    }

    /** Decides per command line (without its CR); called on the host's writing thread, one call at a time. */
    public interface Interceptor {
        Reaction onCommand(String commandLine);
    }

    private record Rule(Pattern pattern, Reaction reaction, boolean once) {
    }

    private final ModemSimulator sim;
    private final SerialLink simSide;
    private final PipeLink.Pair toHost;
    private final SerialLink hostLink;
    private final Object hostWriteLock = new Object();
    private final List<Rule> rules = new ArrayList<>();
    private final List<String> intercepted = new ArrayList<>();
    private volatile Interceptor interceptor;
    private final Thread pump;

    private HostileModem(ModemSimulator sim) {
        this.sim = sim;
        this.simSide = sim.connectPipe();
        this.toHost = PipeLink.pair("hostile " + sim, 64 * 1024);
        this.hostLink = new HostLink();
        this.pump = new Thread(this::pumpSimulatorOutput, sim + "-hostile-pump");
        pump.setDaemon(true);
        pump.start();
    }

    /** Puts a hostile man in the middle between {@code sim} (attached here) and the host. */
    public static HostileModem over(ModemSimulator sim) {
        return new HostileModem(sim);
    }

    /** The link to hand to {@code Modem.open}. */
    public SerialLink hostLink() {
        return hostLink;
    }

    public ModemSimulator simulator() {
        return sim;
    }

    /** The next command matching {@code regex} is answered with {@code bytes} only. */
    public HostileModem answerNext(String regex, byte[] bytes) {
        return rule(regex, Reaction.replace(bytes), true);
    }

    /** Every command matching {@code regex} is answered with {@code bytes} only. */
    public HostileModem answerAlways(String regex, byte[] bytes) {
        return rule(regex, Reaction.replace(bytes), false);
    }

    /** The next command matching {@code regex} gets its real answer, and {@code bytes} as well. */
    public HostileModem injectAfterNext(String regex, byte[] bytes) {
        return rule(regex, Reaction.thenInject(bytes), true);
    }

    /** Stops every rule set with the methods above. */
    public synchronized HostileModem clearRules() {
        rules.clear();
        return this;
    }

    /** A free-form decision per command, consulted after the rules (the fuzz targets use it). */
    public HostileModem interceptor(Interceptor i) {
        this.interceptor = i;
        return this;
    }

    /** The commands whose answer a rule or the interceptor changed, in order. */
    public synchronized List<String> intercepted() {
        return List.copyOf(intercepted);
    }

    /**
     * Writes {@code bytes} to the host now, between two simulator writes. Blocks while the host does not read (a
     * 64 KiB pipe), as a real UART would.
     */
    public void inject(byte[] bytes) throws IOException {
        synchronized (hostWriteLock) {
            OutputStream out = toHost.modem().output();
            out.write(bytes);
            out.flush();
        }
    }

    @Override
    public void close() {
        closeQuietly(toHost.host());
        closeQuietly(simSide);
        pump.interrupt();
        sim.close();
    }

    private synchronized HostileModem rule(String regex, Reaction r, boolean once) {
        rules.add(new Rule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL), r, once));
        return this;
    }

    private synchronized Reaction decide(String line) {
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (r.pattern().matcher(line).matches()) {
                if (r.once()) {
                    rules.remove(i);
                }
                intercepted.add(line);
                return r.reaction();
            }
        }
        Interceptor i = interceptor;
        Reaction r = i == null ? Reaction.PASS : i.onCommand(line);
        if (r != Reaction.PASS) {
            intercepted.add(line);
        }
        return r == null ? Reaction.PASS : r;
    }

    private void pumpSimulatorOutput() {
        byte[] buf = new byte[4096];
        try {
            InputStream in = simSide.input();
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (hostWriteLock) {
                    OutputStream out = toHost.modem().output();
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            log.debug("{}: hostile pump ends: {}", sim, e.toString());
        }
        closeQuietly(toHost.modem());
    }

    /**
     * The command line in one host write: plain {@code AT...CR}, or a u-connectXpress EDM AT-request frame
     * ({@code AA len_hi len_lo 00 44 AT... 55}, AT-REFERENCE §4C) as the NINA driver writes once in data mode; null
     * for anything else (data, partial writes). Replacements are sent as given: for EDM they must be frames.
     */
    static String commandLine(byte[] b, int off, int len) {
        if (len >= 3 && len <= 4096 && b[off + len - 1] == '\r' && isAt(b, off)) {
            return new String(b, off, len - 1, StandardCharsets.ISO_8859_1);
        }
        if (len >= 8 && len <= 4096 && (b[off] & 0xff) == EDM_START && (b[off + len - 1] & 0xff) == EDM_STOP
                && (((b[off + 1] & 0x0f) << 8) | (b[off + 2] & 0xff)) == len - 4 && b[off + 3] == 0
                && (b[off + 4] & 0xff) == EDM_AT_REQUEST && isAt(b, off + 5)) {
            int end = off + len - 1;
            if (b[end - 1] == '\r') {
                end--;
            }
            return new String(b, off + 5, end - off - 5, StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private static boolean isAt(byte[] b, int at) {
        return (b[at] == 'A' || b[at] == 'a') && (b[at + 1] == 'T' || b[at + 1] == 't');
    }

    private static final int EDM_START = 0xAA;
    private static final int EDM_STOP = 0x55;
    private static final int EDM_AT_REQUEST = 0x44;

    private static void closeQuietly(SerialLink l) {
        try {
            l.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", l.name(), e.toString());
        }
    }

    /** The host side: reads what the pump and the injections wrote, writes through the interceptor. */
    private final class HostLink implements SerialLink {

        private final OutputStream output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                Reaction r = Reaction.PASS;
                String line = commandLine(b, off, len);
                if (line != null) {
                    r = decide(line);
                }
                if (r.forward()) {
                    simSide.output().write(b, off, len);
                    simSide.output().flush();
                }
                if (r.bytes() != null && r.bytes().length > 0) {
                    inject(r.bytes());
                }
            }

            @Override
            public void flush() throws IOException {
                simSide.output().flush();
            }
        };

        @Override
        public InputStream input() throws IOException {
            return toHost.host().input();
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public String name() {
            return "hostile " + sim;
        }

        @Override
        public boolean isOpen() {
            return toHost.host().isOpen() && simSide.isOpen();
        }

        @Override
        public void close() {
            HostileModem.this.close();
        }
    }
}
