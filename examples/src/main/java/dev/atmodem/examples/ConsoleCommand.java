package dev.atmodem.examples;

import dev.atmodem.at.AtCommand;
import dev.atmodem.at.AtException;
import dev.atmodem.at.AtResponse;
import dev.atmodem.link.TracingLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An interactive AT terminal on the open modem: commands share the serial line with the library (the modem is
 * brought up first), answers print as they complete, and lines the modem sends on its own (URCs) print as they arrive.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"An interactive AT terminal: type commands (AT+CSQ), see the answers and the modem's"
                + " unsolicited lines as they arrive.",
                "Console commands: history, !! (repeat the last), !N (repeat number N), help, quit."})
public final class ConsoleCommand implements Callable<Integer> {

    private static final Pattern EXTENDED = Pattern.compile("(?i)^AT([+^$#%&*])([A-Z0-9]+).*");

    @Mixin
    CommonOptions common;

    @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for each answer (default ${DEFAULT-VALUE} s).")
    int commandTimeoutSeconds;

    @Spec
    CommandSpec spec;

    private final List<String> history = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AtomicBoolean busy = new AtomicBoolean();
        LineTap tap = new LineTap(out, busy);
        try (ModemConnector.Connection c = ModemConnector.open(common, tap)) {
            dev.atmodem.ModemInfo info = c.modem().info();
            out.println("connected to " + info.manufacturer() + " " + info.model() + " on " + c.description()
                    + "; type AT commands, 'help' or 'quit'");
            out.println("(lines marked << came from the modem outside your commands: URCs, and the answers to the"
                    + " library's own commands, for example while it recovers after a reboot)");
            out.flush();
            tap.armed = true;
            c.modem().addListener((from, to, why) -> {
                synchronized (out) {
                    out.println();
                    out.println("** modem " + from + " -> " + to + ": " + why);
                    out.print("> ");
                    out.flush();
                }
            });
            BufferedReader in = new BufferedReader(new InputStreamReader(AtmodemCli.stdin(), StandardCharsets.UTF_8));
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null) {
                    out.println();
                    break;
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.equals("quit") || lower.equals("exit")) {
                    break;
                }
                if (lower.equals("help")) {
                    out.println("type an AT command (AT, ATI, AT+CSQ, AT+COPS?); history; !! repeats the last;"
                            + " !N repeats number N; quit");
                    continue;
                }
                if (lower.equals("history")) {
                    for (int i = 0; i < history.size(); i++) {
                        out.printf("%4d  %s%n", i + 1, history.get(i));
                    }
                    continue;
                }
                if (line.startsWith("!")) {
                    String again = recall(line);
                    if (again == null) {
                        out.println("no such history entry: " + line);
                        continue;
                    }
                    out.println(again);
                    line = again;
                }
                history.add(line);
                busy.set(true);
                try {
                    AtResponse r = c.modem().at().execute(command(line));
                    for (String t : r.texts()) {
                        out.println(t);
                    }
                    out.println(r.finalLine());
                } catch (AtException e) {
                    out.println(e.answer() == null ? e.getMessage() : e.answer()
                            + (e.meaning() == null ? "" : "   (" + e.meaning() + ")"));
                } catch (IOException e) {
                    out.println("!! " + e.getMessage());
                    if (!c.modem().isOpen()) {
                        return 1;
                    }
                } finally {
                    busy.set(false);
                }
                out.flush();
            }
            return 0;
        }
    }

    private AtCommand command(String line) {
        AtCommand.Builder b = AtCommand.of(line).timeout(Duration.ofSeconds(commandTimeoutSeconds));
        Matcher m = EXTENDED.matcher(line);
        if (m.matches()) {
            b.expect(m.group(1) + m.group(2).toUpperCase(Locale.ROOT) + ":");
        }
        return b.build();
    }

    private String recall(String line) {
        if (history.isEmpty()) {
            return null;
        }
        if (line.equals("!!")) {
            return history.get(history.size() - 1);
        }
        try {
            int n = Integer.parseInt(line.substring(1));
            return n >= 1 && n <= history.size() ? history.get(n - 1) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Assembles the modem's bytes into lines and prints the ones that arrive while no console command runs. */
    private static final class LineTap implements TracingLink.Sink {
        private final PrintWriter out;
        private final AtomicBoolean busy;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        volatile boolean armed;

        LineTap(PrintWriter out, AtomicBoolean busy) {
            this.out = out;
            this.busy = busy;
        }

        @Override
        public void bytes(TracingLink.Direction direction, byte[] b, int off, int len) {
            if (direction != TracingLink.Direction.FROM_MODEM) {
                return;
            }
            synchronized (line) {
                for (int i = off; i < off + len; i++) {
                    byte x = b[i];
                    if (x == '\r' || x == '\n') {
                        flushLine();
                    } else if (line.size() < 512) {
                        line.write(x);
                    }
                }
            }
        }

        private void flushLine() {
            if (line.size() == 0) {
                return;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            if (armed && !busy.get()) {
                synchronized (out) {
                    out.println();
                    out.println("<< " + text);
                    out.print("> ");
                    out.flush();
                }
            }
        }
    }
}
