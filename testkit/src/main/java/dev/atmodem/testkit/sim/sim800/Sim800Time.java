package dev.atmodem.testkit.sim.sim800;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Network time (AT-REFERENCE §2D): {@code AT+CLTS=1} enables it; the network then sends {@code *PSUTTZ} and
 * {@code DST} URCs (when the context comes up, or when a test calls {@link Sim800Dialect#networkTime()}), which can
 * land inside another command's response (QUIRKS 9); {@code AT+CCLK?} gives local time with the zone in quarter hours.
 */
final class Sim800Time {

    private static final DateTimeFormatter CCLK = DateTimeFormatter.ofPattern("yy/MM/dd,HH:mm:ss");

    private final Sim800Dialect modem;
    private final ModemContext ctx;
    private int zoneQuarters;
    private int dst;
    private boolean enabled;
    private boolean synced;

    Sim800Time(Sim800Dialect modem, ModemContext ctx) {
        this.modem = modem;
        this.ctx = ctx;
    }

    void zone(int quarters, int dst) {
        this.zoneQuarters = quarters;
        this.dst = dst;
    }

    void reset() {
        enabled = false;
        synced = false;
    }

    /** The network sends its time: the URCs (when enabled) and the clock follows. */
    void nitz() {
        if (!enabled || !modem.registered()) {
            return;
        }
        synced = true;
        OffsetDateTime t = ctx.clock().instant().atOffset(ZoneOffset.UTC);   // universal time, zone apart
        int q = Math.abs(zoneQuarters);
        ctx.urc(String.format(Sim800Dialect.PSUTTZ_FORMAT, t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond(), zoneQuarters < 0 ? "-" : "+", q, dst));
        ctx.urc(String.format(Sim800Dialect.DST_FORMAT, dst));
    }

    /** Context activation is when the network sends its time (QUIRKS 9: inside an activation's response). */
    void nitzOnActivation() {
        nitz();
    }

    private OffsetDateTime now() {
        return ctx.clock().instant().atOffset(ZoneOffset.ofTotalSeconds(zoneQuarters * 15 * 60));
    }

    void handle(AtCommand c, Reply r) {
        if (c.name().equals("+CLTS")) {
            switch (c.form()) {
                case READ -> r.line("+CLTS: " + (enabled ? 1 : 0)).ok();
                case TEST -> r.line("+CLTS: (0,1)").ok();
                case SET -> {
                    enabled = c.intArg(0, 0, 1) == 1;
                    r.ok();
                }
                default -> r.error();
            }
            return;
        }
        switch (c.form()) {
            case READ -> {
                if (!synced) {
                    r.line("+CCLK: \"" + Sim800Dialect.CCLK_UNSET + "\"").ok();
                    return;
                }
                int q = Math.abs(zoneQuarters);
                String tz = (zoneQuarters < 0 ? "-" : "+") + (q < 10 ? "0" : "") + q;
                r.line("+CCLK: \"" + CCLK.format(now()) + tz + "\"").ok();
            }
            case SET, TEST -> r.ok();
            default -> r.error();
        }
    }
}
