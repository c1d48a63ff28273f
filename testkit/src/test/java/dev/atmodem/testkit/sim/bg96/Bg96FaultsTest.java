package dev.atmodem.testkit.sim.bg96;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every fault shows up in the byte stream the host reads. */
class Bg96FaultsTest extends Bg96TestBase {

    @Test
    void rebootSendsGarbageThenBannerAndForgetsEverything() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        sim.faults().reboot();
        String burst = host.readThrough("\r\nRDY\r\n");
        byte[] garbage = burst.substring(0, burst.length() - "\r\nRDY\r\n".length())
                .getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(garbage.length >= 2, "a burst of garbage precedes the banner");
        host.expect("\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nAPP RDY\r\n");
        assertEquals(-1, peer.getInputStream().read(), "the network side of the socket is gone");
        // echo is back on; socket and context are gone
        host.command("AT+QISTATE?\r", "AT+QISTATE?\r\r\nOK\r\n");
        host.command("AT+QIACT?\r", "AT+QIACT?\r\r\nOK\r\n");
    }

    @Test
    void rebootGarbageIsReproducibleFromTheSeed() throws Exception {
        byte[] first = garbageFor(42);
        byte[] second = garbageFor(42);
        assertEquals(new String(first, StandardCharsets.ISO_8859_1), new String(second, StandardCharsets.ISO_8859_1));
    }

    private byte[] garbageFor(long seed) throws Exception {
        try (var s = dev.atmodem.testkit.sim.ModemSimulator.builder("bg96").seed(seed).build();
             var h = new dev.atmodem.testkit.RawHost(s.connectPipe())) {
            h.expect(BANNER);
            s.faults().reboot();
            String burst = h.readThrough("\r\nRDY\r\n");
            return burst.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void anUnsolicitedLineArrivesFramedAndChangesNothing() throws Exception {
        ready();
        sim.faults().unsolicitedLine("+CREG: 5");
        host.expect("\r\n+CREG: 5\r\n");
        host.command("AT\r", "\r\nOK\r\n");
        assertThrows(IllegalArgumentException.class, () -> sim.faults().unsolicitedLine("+CREG: 1\r\nAT"));
    }

    @Test
    void bearerLossReportsPdpdeactAndSocketsStopWorking() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        sim.faults().bearerLoss();
        host.expect("\r\n+QIURC: \"pdpdeact\",1\r\n");
        assertEquals(-1, peer.getInputStream().read());
        host.command("AT+QISEND=0,1\r", "\r\nERROR\r\n");
        host.command("AT+QIACT?\r", "\r\nOK\r\n");
        host.command("AT+QIDEACT=1\r", "\r\nOK\r\n");
        host.command("AT+QISTATE?\r", "\r\nOK\r\n");
    }

    @Test
    void remoteCloseOfOneSocket() throws Exception {
        attached();
        var p = peer();
        Socket a = open(p, 0, 0);
        open(p, 1, 0);
        sim.faults().remoteClose(0);
        host.expect("\r\n+QIURC: \"closed\",0\r\n");
        assertEquals(-1, a.getInputStream().read());
        host.command("AT+QISEND=1,2\r", "\r\n> ");
        host.command("ok", "\r\nSEND OK\r\n");
        assertThrows(IllegalStateException.class, () -> sim.faults().remoteClose(5));
    }

    @Test
    void silenceDropsInputAndHoldsOutput() throws Exception {
        ready();
        sim.faults().silence(800);
        host.send("AT+CGMM\r");                 // not heard
        Thread.sleep(1000);                      // let the silence pass (not an assertion)
        // had the first command been heard, its answer would come first
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
    }

    @Test
    void silenceHoldsUrcsUntilItEnds() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        sim.faults().silence(200);
        Bg96SocketTest.write(peer, "x".getBytes(StandardCharsets.US_ASCII));
        long t0 = System.nanoTime();
        host.expect("\r\n+QIURC: \"recv\",0\r\n");
        assertTrue(System.nanoTime() - t0 >= 150_000_000L, "the URC waited for the silence to end");
    }

    @Test
    void cmeErrorForTheNextMatchingCommand() throws Exception {
        ready();
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        sim.faults().cmeErrorOnNext("AT\\+CSQ", 14);
        host.command("AT\r", "\r\nOK\r\n");                         // does not match: unaffected
        host.command("AT+CSQ\r", "\r\n+CME ERROR: SIM busy\r\n");
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");   // once only
        host.command("AT+CMEE=1\r", "\r\nOK\r\n");
        sim.faults().cmeErrorOnNext("AT\\+QIACT=.*", 30);
        host.command("AT+QIACT=1\r", "\r\n+CME ERROR: 30\r\n");
    }

    @Test
    void aDroppedRecvUrcLeavesTheDataToPolling() throws Exception {
        attached();
        Socket peer = open(peer(), 0, 0);
        sim.faults().dropNextUrc("\\+QIURC: \"recv\",0");
        Bg96SocketTest.write(peer, "lost".getBytes(StandardCharsets.US_ASCII));
        // no URC precedes the poll's answer, and since the buffer is not empty none will come for new data either
        assertEquals("\r\n+QIRD: 4,0,4\r\n\r\nOK\r\n", awaitReceived(0, 4));
        Bg96SocketTest.write(peer, "more".getBytes(StandardCharsets.US_ASCII));
        assertEquals("\r\n+QIRD: 8,0,8\r\n\r\nOK\r\n", awaitReceived(0, 8));
        host.command("AT+QIRD=0\r", "\r\n+QIRD: 8\r\nlostmore\r\n\r\nOK\r\n");
        Bg96SocketTest.write(peer, "!".getBytes(StandardCharsets.US_ASCII));
        host.expect("\r\n+QIURC: \"recv\",0\r\n");   // the drop was for one URC only
    }

    @Test
    void lateUrcLandsInsideTheNextResponse() throws Exception {
        start(dev.atmodem.testkit.sim.ModemSimulator.builder("bg96"));
        host.expect(BANNER);
        sim.faults().lateUrcInNextResponse("+CPIN: READY");
        // QUIRKS 9: +CPIN: READY twice, the URC between the echo and the answer
        host.command("AT+CPIN?\r", "AT+CPIN?\r\r\n+CPIN: READY\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n");
    }
}
