package dev.atmodem.testkit.sim.sim800;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every fault shows up in the byte stream the host reads, in SIM800 words (AT-REFERENCE §2B/§2E, QUIRKS 9-16). */
class Sim800FaultsTest extends Sim800TestBase {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void rebootSendsGarbageThenBannerAndForgetsEverything() throws Exception {
        attached();
        Socket peer = open(peer(), 0);
        sim.faults().reboot();
        String burst = host.readThrough("\r\nRDY\r\n");
        assertTrue(burst.length() - "\r\nRDY\r\n".length() >= 2, "a burst of garbage precedes the banner");
        host.expect("\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n");
        assertEquals(-1, peer.getInputStream().read(), "the network side of the connection is gone");
        // echo is back on; single-IP mode and IP INITIAL again
        host.command("AT+CIPSTATUS\r", "AT+CIPSTATUS\r\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n");
        host.command("AT+CIPMUX?\r", "AT+CIPMUX?\r\r\n+CIPMUX: 0\r\n\r\nOK\r\n");
    }

    @Test
    void bearerLossReportsPdpDeactAndEveryConnectionIsGone() throws Exception {
        attached();
        LoopbackPeer p = peer();
        Socket a = open(p, 0);
        Socket b = open(p, 1);
        sim.faults().bearerLoss();
        host.expect("\r\n+PDP: DEACT\r\n");
        host.command("AT\r", "\r\nOK\r\n");                        // and nothing else: no per-connection CLOSED
        assertEquals(-1, a.getInputStream().read());
        assertEquals(-1, b.getInputStream().read());
        host.command("AT+CIPSEND=0,1\r", "\r\nERROR\r\n");
        host.command("AT+CIPSTATUS=1\r",
                "\r\n+CIPSTATUS: 1,0,\"TCP\",\"127.0.0.1\",\"" + p.port() + "\",\"CLOSED\"\r\n\r\nOK\r\n");
        host.command("AT+CIFSR\r", "\r\nERROR\r\n");
        host.command("AT+CIPSTART=0,\"TCP\",\"127.0.0.1\"," + p.port() + "\r", "\r\nERROR\r\n");
        // recovery: CIPSHUT, then the bring-up again (§2B)
        host.command("AT+CIPSHUT\r", "\r\nSHUT OK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");
        host.command("AT+CIFSR\r", "\r\n10.0.0.2\r\n");
        open(p, 0);
    }

    @Test
    void remoteCloseOfOneConnection() throws Exception {
        attached();
        LoopbackPeer p = peer();
        Socket a = open(p, 0);
        Socket b = open(p, 1);
        sim.faults().remoteClose(0);
        host.expect("\r\n0, CLOSED\r\n");
        assertEquals(-1, a.getInputStream().read());
        host.command("AT+CIPSEND=0,2\r", "\r\nERROR\r\n");
        host.command("AT+CIPSEND=1,2\r", "\r\n> ");
        host.command("ok", "\r\n1, SEND OK\r\n");
        assertArrayEquals(ascii("ok"), LoopbackPeer.readExactly(b, 2));
        assertThrows(IllegalStateException.class, () -> sim.faults().remoteClose(0));
        assertThrows(IllegalStateException.class, () -> sim.faults().remoteClose(5));
    }

    @Test
    void sendFailForTheNextSends() throws Exception {
        attached();
        Socket peer = open(peer(), 0);
        sim.faults().failNextSends(2);
        host.command("AT+CIPSEND=0,3\r", "\r\n> ");
        host.command("one", "\r\n0, SEND FAIL\r\n");
        host.command("AT+CIPQSEND=1\r", "\r\nOK\r\n");
        host.command("AT+CIPSEND=0,3\r", "\r\n> ");
        host.command("two", "\r\n0, SEND FAIL\r\n");                 // quick send fails the same way
        host.command("AT+CIPSEND=0,5\r", "\r\n> ");
        host.command("three", "\r\nDATA ACCEPT:0,5\r\n");
        assertArrayEquals(ascii("three"), LoopbackPeer.readExactly(peer, 5), "failed sends never reach the peer");
    }

    @Test
    void silenceDropsInputAndHoldsOutput() throws Exception {
        ready();
        sim.faults().silence(800);
        host.send("AT+CGMM\r");                 // not heard
        Thread.sleep(1000);                      // let the silence pass (not an assertion)
        // had the first command been heard, its answer would come first
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
    }

    @Test
    void cmeErrorForTheNextMatchingCommand() throws Exception {
        ready();
        host.command("AT+CIPMUX=1\r", "\r\nOK\r\n");
        host.command("AT+CSTT=\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        sim.faults().cmeErrorOnNext("AT\\+CIICR", 30);
        host.command("AT\r", "\r\nOK\r\n");                          // does not match: unaffected
        host.command("AT+CIICR\r", "\r\n+CME ERROR: no network service\r\n");
        host.command("AT+CIICR\r", "\r\nOK\r\n");                    // once only; the state did not move
        host.command("AT+CMEE=0\r", "\r\nOK\r\n");
        sim.faults().cmeErrorOnNext("AT\\+CIFSR", 3);
        host.command("AT+CIFSR\r", "\r\nERROR\r\n");
    }

    @Test
    void lateConnectFailLandsInsideAnUnrelatedResponse() throws Exception {
        start(ModemSimulator.builder("sim800"));
        host.expect(BANNER);
        // QUIRKS 9: "0, CONNECT FAIL" 75 s late inside an unrelated AT+CMGF=1
        sim.faults().lateUrcInNextResponse("0, CONNECT FAIL");
        host.command("AT+CMGF=1\r", "AT+CMGF=1\r\r\n0, CONNECT FAIL\r\n\r\nOK\r\n");
        sim.faults().lateUrcInNextResponse("+CPIN: READY");
        host.command("AT+CPIN?\r", "AT+CPIN?\r\r\n+CPIN: READY\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n");
    }

    @Test
    void aDroppedDataReadyUrcLeavesTheDataToPolling() throws Exception {
        attachedManual();
        Socket peer = open(peer(), 0);
        sim.faults().dropNextUrc("\\+CIPRXGET: 1,0");
        write(peer, ascii("lost"));
        // no URC precedes the poll's answer, and none comes for more data while the buffer is not empty
        assertEquals("\r\n+CIPRXGET: 4,0,4\r\n\r\nOK\r\n", awaitBuffered(0, 4));
        write(peer, ascii("more"));
        assertEquals("\r\n+CIPRXGET: 4,0,8\r\n\r\nOK\r\n", awaitBuffered(0, 8));
        host.command("AT+CIPRXGET=2,0,1460\r", "\r\n+CIPRXGET: 2,0,8,0\r\nlostmore\r\nOK\r\n");
        write(peer, ascii("!"));
        host.expect("\r\n+CIPRXGET: 1,0\r\n");                       // the drop was for one URC only
    }
}
