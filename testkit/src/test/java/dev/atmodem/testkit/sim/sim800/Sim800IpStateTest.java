package dev.atmodem.testkit.sim.sim800;

import dev.atmodem.testkit.LoopbackPeer;
import org.junit.jupiter.api.Test;

/** The IP application state machine (AT-REFERENCE §2A), CIFSR's missing final result (QUIRKS 6), and DNS (§2D). */
class Sim800IpStateTest extends Sim800TestBase {

    private static final String UNUSED_C_LINES = "\r\nC: 0,,\"\",\"\",\"\",\"INITIAL\"\r\n"
            + "\r\nC: 1,,\"\",\"\",\"\",\"INITIAL\"\r\n" + "\r\nC: 2,,\"\",\"\",\"\",\"INITIAL\"\r\n"
            + "\r\nC: 3,,\"\",\"\",\"\",\"INITIAL\"\r\n" + "\r\nC: 4,,\"\",\"\",\"\",\"INITIAL\"\r\n"
            + "\r\nC: 5,,\"\",\"\",\"\",\"INITIAL\"\r\n";

    private void expectState(String state) throws Exception {
        host.command("AT+CIPSTATUS\r", "\r\nOK\r\n\r\nSTATE: " + state + "\r\n" + UNUSED_C_LINES);
    }

    private void startRefused() throws Exception {
        host.command("AT+CIPSTART=0,\"TCP\",\"127.0.0.1\",80\r", "\r\nERROR\r\n");
    }

    @Test
    void bringUpWalksTheStatesAndCipstartIsRefusedUntilIpStatus() throws Exception {
        ready();
        host.command("AT+CIPSTATUS\r", "\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n");   // single-IP: no C: lines
        host.command("AT+CIPMUX?\r", "\r\n+CIPMUX: 0\r\n\r\nOK\r\n");
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        expectState("IP INITIAL");
        startRefused();
        host.command("AT+CIFSR\r", "\r\nERROR\r\n");                             // no context yet
        host.command("AT+CIICR\r", "\r\nERROR\r\n");                             // needs CSTT first
        host.command("AT+CSTT=\"internet\",\"user\",\"pass\"\r", "\r\nOK\r\n");
        expectState("IP START");
        host.command("AT+CSTT?\r", "\r\n+CSTT: \"internet\",\"user\",\"pass\"\r\n\r\nOK\r\n");
        startRefused();
        host.command("AT+CSTT=\"other\"\r", "\r\nERROR\r\n");                    // only in IP INITIAL
        host.command("AT+CIPMUX=1\r", "\r\nERROR\r\n");                          // only in IP INITIAL
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        expectState("IP GPRSACT");
        startRefused();
        host.command("AT+CIICR\r", "\r\nERROR\r\n");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");
        expectState("IP STATUS");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");                          // again: same bare address
    }

    @Test
    void cifsrHasNoFinalResult() throws Exception {
        ready();
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        sim.control(Sim800Dialect.class, d -> d.localAddress("10.64.1.7"));
        host.send("AT+CIFSR\r");
        // the next command's answer follows the address directly: no OK in between (QUIRKS 6)
        host.command("AT\r", "\r\n10.64.1.7\r\n\r\nOK\r\n");
    }

    @Test
    void cifsrWithE0AddsOkAndTurnsEchoOff() throws Exception {
        start(dev.atmodem.testkit.sim.ModemSimulator.builder("sim800"));
        host.expect(BANNER);
        host.command("AT+CIPMUX=1\r", "AT+CIPMUX=1\r\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "AT+CSTT=\"internet\"\r\r\nOK\r\n");
        host.command("AT+CIICR\r", "AT+CIICR\r\r\nOK\r\n");
        host.command("AT+CIFSR;E0\r", "AT+CIFSR;E0\r\r\n10.0.0.2\r\n\r\nOK\r\n");
        host.command("AT\r", "\r\nOK\r\n");                                      // echo is off now
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");
        host.command("AT+CIFSR;E0\r", "\r\nERROR\r\n");                          // no context: ERROR only
    }

    @Test
    void cipshutRecoversFromEveryState() throws Exception {
        ready();
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");                         // IP INITIAL
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");                         // IP START
        expectState("IP INITIAL");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");                         // IP GPRSACT
        expectState("IP INITIAL");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");
        LoopbackPeer p = peer();
        open(p, 2);
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");                         // IP PROCESSING
        expectState("IP INITIAL");
        host.command("AT+CIPMUX?\r", "\r\n+CIPMUX: 1\r\n\r\nOK\r\n");            // CIPSHUT keeps the mux mode
        bringUpAgain();
        sim.faults().bearerLoss();
        host.expect("\r\n+PDP: DEACT\r\n");
        expectState("PDP DEACT");
        startRefused();
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");                         // PDP DEACT
        expectState("IP INITIAL");
        bringUpAgain();
        expectState("IP STATUS");
    }

    private void bringUpAgain() throws Exception {
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");
    }

    @Test
    void cipstartNeedsMultiIpMode() throws Exception {
        ready();
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");
        startRefused();                                                          // CIPMUX=0: the <n> form is wrong
        host.command("AT+CIPSTATUS=0\r", "\r\nERROR\r\n");
    }

    @Test
    void activationFailsWhenNotAttached() throws Exception {
        ready();
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        host.command("AT+CGATT=0\r", "\r\nOK\r\n");
        host.command("AT+CGATT?\r", "\r\n+CGATT: 0\r\n\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nERROR\r\n");
        expectState("PDP DEACT");
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");
        host.command("AT+CGATT=1\r", "\r\nOK\r\n");
        bringUpAgain();
        expectState("IP STATUS");
    }

    @Test
    void cdnsgipAnswersOkThenTheAddresses() throws Exception {
        ready();
        host.command("AT+CDNSGIP=\"broker.test\"\r", "\r\nERROR\r\n");           // context not active
        bringUp();
        host.command("AT+CDNSGIP=\"broker.test\"\r", "\r\nOK\r\n\r\n+CDNSGIP: 1,\"broker.test\",\"127.0.0.1\"\r\n");
        sim.names().put("two.test", "127.0.0.2", "127.0.0.3", "127.0.0.4");
        host.command("AT+CDNSGIP=\"two.test\"\r",
                "\r\nOK\r\n\r\n+CDNSGIP: 1,\"two.test\",\"127.0.0.2\",\"127.0.0.3\"\r\n");
        host.command("AT+CDNSGIP=\"nowhere.test\"\r", "\r\nOK\r\n\r\n+CDNSGIP: 0,8\r\n");
        host.command("AT+CDNSGIP=broker.test\r", "\r\nERROR\r\n");               // the name must be quoted
    }

    @Test
    void unsupportedHeaderOptionsAreRefusedWhenSwitchedOn() throws Exception {
        ready();
        host.command("AT+CIPHEAD=0\r", "\r\nOK\r\n");
        host.command("AT+CIPHEAD=1\r", "\r\nERROR\r\n");
        host.command("AT+CIPSRIP=1\r", "\r\nERROR\r\n");
        host.command("AT+CIPMODE=1\r", "\r\nERROR\r\n");
        host.command("AT+CDNSCFG=\"8.8.8.8\",\"8.8.4.4\"\r", "\r\nOK\r\n");
    }
}
