package dev.atmodem.testkit.sim.ublox;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Network time ({@code AT+CCLK?}, local time with the zone in quarter hours) and the modem's DNS
 * ({@code AT+UDNSRN=0,"<host>"} → one {@code +UDNSRN: "<ip>"} per address, then {@code OK}, after a round trip),
 * AT-REFERENCE §3D. Names resolve from the simulator's name table only.
 */
final class SaraDnsTime {

    private final SaraDialect modem;
    private final ModemContext ctx;
    private int timeZoneQuarters;

    SaraDnsTime(SaraDialect modem, ModemContext ctx) {
        this.modem = modem;
        this.ctx = ctx;
    }

    void timeZoneQuarters(int q) {
        this.timeZoneQuarters = q;
    }

    void cclk(AtCommand c, Reply r) {
        if (c.form() != Form.READ) {
            r.error();
            return;
        }
        ZoneOffset zone = ZoneOffset.ofTotalSeconds(timeZoneQuarters * 15 * 60);
        String time = SaraDialect.CCLK_FORMAT.format(ctx.clock().instant().atOffset(zone));
        int q = Math.abs(timeZoneQuarters);
        r.line("+CCLK: \"" + time + (timeZoneQuarters < 0 ? "-" : "+") + (q < 10 ? "0" : "") + q + "\"").ok();
    }

    void udnsrn(AtCommand c, Reply r) {
        if (c.form() == Form.TEST) {
            r.line("+UDNSRN: (0-1),(\"domain_string\")").ok();
            return;
        }
        if (c.form() != Form.SET || c.intArg(0, 0, 1) != 0 || c.argCount() > 2) {
            r.cmeError(SaraDialect.UNSUPPORTED_CME);   // reverse lookup and the async form are not simulated
            return;
        }
        String host = c.stringArg(1);
        if (!modem.dataActive()) {
            r.cmeError(SaraDialect.SOCKET_CME);
            return;
        }
        r.pause(ctx.conditions().rttMillis());
        var ips = ctx.names().resolve(host);
        if (ips.isEmpty()) {
            r.cmeError(SaraDialect.DNS_CME);
            return;
        }
        List<String> all = ips.get();
        for (String ip : SaraDialect.UDNSRN_ALL_ADDRESSES ? all : all.subList(0, 1)) {
            r.line("+UDNSRN: \"" + ip + "\"");
        }
        r.ok();
    }
}
