package dev.atmodem.testkit.sim;

/**
 * The V.250 and 3GPP TS 27.007 commands every dialect answers the same way (ATE, AT+CMEE), in one place so that the
 * dialects only hold what is their own.
 */
public final class CommonCommands {

    private CommonCommands() {
    }

    /** {@code ATE0} / {@code ATE1} ({@code ATE} alone means 0). */
    public static void echo(ModemContext ctx, AtCommand c, Reply r) {
        String a = c.argCount() == 0 ? "0" : c.arg(0);
        switch (a) {
            case "0" -> ctx.echo(false);
            case "1" -> ctx.echo(true);
            default -> {
                r.error();
                return;
            }
        }
        r.ok();
    }

    /** {@code AT+CMEE} in its read, test and set forms; {@code AT+CMEE} alone resets to 0. */
    public static void cmee(ModemContext ctx, AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+CMEE: " + ctx.cmeeMode()).ok();
            case TEST -> r.line("+CMEE: (0-2)").ok();
            case SET -> {
                ctx.cmeeMode(c.intArg(0, 0, 2));
                r.ok();
            }
            default -> {
                ctx.cmeeMode(0);
                r.ok();
            }
        }
    }
}
