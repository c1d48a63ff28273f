package dev.atmodem.examples;

import dev.atmodem.Modem;
import dev.atmodem.ModemInfo;
import dev.atmodem.spi.Bearer;
import dev.atmodem.spi.Gsm27007;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Prints what the modem says about itself and its network. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Manufacturer, model, revision, IMEI, SIM state, signal, registration, operator, network time.")
public final class InfoCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** One row of the report; a query the modem refuses shows its error instead of failing the whole command. */
    @FunctionalInterface
    private interface Query {
        Object get() throws IOException;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ModemConnector.Connection c = ModemConnector.open(common)) {
            Modem m = c.modem();
            ModemInfo info = m.info();
            row(out, "port", c.description());
            row(out, "driver", m.driverName() + " (" + m.capabilities().model() + ")");
            row(out, "manufacturer", info.manufacturer());
            row(out, "model", info.model());
            row(out, "revision", info.revision());
            boolean cellular = m.capabilities().bearer() == Bearer.CELLULAR;
            if (cellular) {
                row(out, "IMEI", info.imei());
                row(out, "SIM", () -> Gsm27007.simState(m.at()));
                row(out, "signal", () -> m.signal());
                row(out, "registration", () -> m.registration());
                row(out, "operator", () -> {
                    String op = m.operator();
                    return op.isEmpty() ? "(none)" : op;
                });
            } else {
                row(out, "bearer", "Wi-Fi");
            }
            row(out, "network time", () -> m.networkTime().map(Object::toString).orElse("(not known to the modem)"));
            row(out, "state", m.state());
            out.flush();
            return 0;
        }
    }

    private static void row(PrintWriter out, String name, Object value) {
        out.printf("%-13s %s%n", name + ":", value);
    }

    private static void row(PrintWriter out, String name, Query q) {
        Object v;
        try {
            v = q.get();
        } catch (IOException | UnsupportedOperationException e) {
            v = "(unavailable: " + e.getMessage() + ")";
        }
        row(out, name, v);
    }
}
