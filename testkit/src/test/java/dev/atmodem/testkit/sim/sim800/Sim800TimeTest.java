package dev.atmodem.testkit.sim.sim800;

import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.SimOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Network time (AT-REFERENCE §2D): CLTS, CCLK and the *PSUTTZ / DST URCs inside other responses (QUIRKS 9). */
class Sim800TimeTest extends Sim800TestBase {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T04:30:13Z"), ZoneOffset.UTC);

    private void startWithClock() throws Exception {
        start(ModemSimulator.builder("sim800").options(SimOptions.defaults().withClock(CLOCK)));
        host.expect(BANNER);
    }

    @Test
    void networkTimeUrcsLandInsideTheActivationResponse() throws Exception {
        startWithClock();
        sim.control(Sim800Dialect.class, d -> d.timeZone(8, 1));
        host.command("AT+CLTS?\r", "AT+CLTS?\r\r\n+CLTS: 0\r\n\r\nOK\r\n");
        host.command("AT+CLTS=1\r", "AT+CLTS=1\r\r\nOK\r\n");
        host.command("AT+CCLK?\r", "AT+CCLK?\r\r\n+CCLK: \"04/01/01,00:00:00+00\"\r\n\r\nOK\r\n");
        host.command("AT+CIPMUX=1\r", "AT+CIPMUX=1\r\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "AT+CSTT=\"internet\"\r\r\nOK\r\n");
        // between the echo and the OK
        host.command("AT+CIICR\r", "AT+CIICR\r\r\n*PSUTTZ: 2026,11,22,4,30,13,\"+8\",1\r\n\r\nDST: 1\r\n\r\nOK\r\n");
        host.command("AT+CCLK?\r", "AT+CCLK?\r\r\n+CCLK: \"26/11/22,06:30:13+08\"\r\n\r\nOK\r\n");
    }

    @Test
    void noTimeUrcsWithoutClts() throws Exception {
        startWithClock();
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        sim.control(Sim800Dialect.class, Sim800Dialect::networkTime);
        host.command("AT+CCLK?\r", "\r\n+CCLK: \"04/01/01,00:00:00+00\"\r\n\r\nOK\r\n");
    }

    @Test
    void networkTimeOnDemandWithANegativeZone() throws Exception {
        startWithClock();
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        host.command("AT+CLTS=1\r", "\r\nOK\r\n");
        sim.control(Sim800Dialect.class, d -> {
            d.timeZone(-20, 0);
            d.networkTime();
        });
        host.expect("\r\n*PSUTTZ: 2026,11,22,4,30,13,\"-20\",0\r\n\r\nDST: 0\r\n");
        host.command("AT+CCLK?\r", "\r\n+CCLK: \"26/11/21,23:30:13-20\"\r\n\r\nOK\r\n");
    }
}
