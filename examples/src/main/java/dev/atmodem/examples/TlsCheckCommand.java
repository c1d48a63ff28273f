package dev.atmodem.examples;

import dev.atmodem.tls.ModemTls;
import dev.atmodem.tls.TlsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Handshakes with a server through the modem and reports what happened, or what is wrong, in plain words. */
@Command(name = "tls-check", mixinStandardHelpOptions = true,
        description = {"Handshake with HOST:PORT through the modem and report the protocol, cipher, chain and cost,"
                + " or the problem in plain words.", "Exit code 0 when the handshake succeeded, 1 when not."})
public final class TlsCheckCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server, e.g. mqtt.example.com:8883.")
    String target;

    @Option(names = "--ca", paramLabel = "PEM",
            description = "Trust only these root certificates (PEM). Default: the JDK's root certificates.")
    java.nio.file.Path ca;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new CliException("expected HOST:PORT, got '" + target + "'");
        }
        String host = target.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CliException("the port in '" + target + "' is not a number", e);
        }
        if (port < 1 || port > 65535) {
            throw new CliException("port " + port + " is out of range (1-65535)");
        }
        TlsOptions t = new TlsOptions();
        t.ca = ca;
        ModemTls tls = t.build();
        try (ModemConnector.Connection c = ModemConnector.open(common)) {
            TlsReport report = tls.check(c.modem(), host, port);
            out.print(report);
            if (!report.toString().endsWith("\n")) {
                out.println();
            }
            out.println("  serial line: " + c.bytesToModem() + " B to the modem, " + c.bytesFromModem()
                    + " B from it (including the modem's bring-up)");
            out.flush();
            return report.ok() ? 0 : 1;
        }
    }
}
