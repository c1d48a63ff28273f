package dev.atmodem.examples;

import dev.atmodem.Modem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;

/**
 * {@code atmodem}: the command-line tool. Each subcommand is one class; {@link #run} is the in-process entry point
 * (tests use it), {@link #main} the only place that exits the JVM.
 */
@Command(name = "atmodem", mixinStandardHelpOptions = true, versionProvider = AtmodemCli.Version.class,
        description = "Drive an AT-command modem (or a simulated one) from the command line.",
        subcommands = {InfoCommand.class, ConsoleCommand.class, HttpsGetCommand.class, MqttPublishCommand.class,
                SimulateCommand.class, TlsCheckCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "With no --port, commands use sim:bg96, a simulated Quectel BG96 on an in-memory serial line.",
                "Try: atmodem mqtt-publish   (a whole MQTT-over-TLS round trip, nothing leaves 127.0.0.1)"})
public final class AtmodemCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a command, for example: atmodem info");
    }

    public static void main(String[] args) {
        Logging.defaults();
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Where interactive commands (console) read from; tests give their own. */
    private static volatile InputStream stdin = System.in;

    static InputStream stdin() {
        return stdin;
    }

    /** Runs one command line with {@code in} as its standard input. */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        InputStream before = stdin;
        stdin = in;
        try {
            return run(args, out, err);
        } finally {
            stdin = before;
        }
    }

    /** Runs one command line and returns its exit code: 0 fine, 1 failed, 2 wrong usage. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Logging.defaults();
        boolean stackTraces = Arrays.asList(args).contains("--trace") || Arrays.asList(args).contains("--verbose");
        CommandLine cl = new CommandLine(new AtmodemCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("atmodem " + line.getCommandName() + ": " + forTheCommandLine(message(e)));
            if (stackTraces) {
                Logger log = LoggerFactory.getLogger(AtmodemCli.class);
                log.error("details", e);
            } else if (!(e instanceof CliException)) {
                err.println("(run again with --trace to see the AT traffic and the stack trace)");
            }
            err.flush();
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The message of {@code e}, with its causes' messages when they add something. */
    static String message(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getMessage() == null ? e.toString() : e.getMessage());
        Throwable c = e.getCause();
        int depth = 0;
        while (c != null && c != e && depth++ < 3) {
            String m = c.getMessage();
            if (m != null && !sb.toString().contains(m)) {
                sb.append(": ").append(m);
            }
            e = c;
            c = c.getCause();
        }
        return sb.toString();
    }

    /** The library's messages name its Java options; on the command line the user needs the flag instead. */
    static String forTheCommandLine(String message) {
        return message.replace("set ModemOptions.withPin(...)", "give it with --pin PIN")
                .replace("ModemOptions.withPin(...)", "--pin PIN")
                .replace("ModemOptions.withDriver(name)", "--driver NAME")
                .replace("ModemTls.builder().identity(...)", "--cert PEM --key PEM");
    }

    /** The version from the build. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"atmodem " + Modem.version()};
        }
    }
}
