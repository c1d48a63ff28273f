package dev.atmodem.testkit.sim.ublox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Every fault and knob shows up in the byte stream, in u-blox words (AT-REFERENCE §3, QUIRKS 4, 9, 11, 14-16). */
class SaraFaultsTest extends SaraTestBase {

    @Test
    void rebootSendsGarbageAndForgetsEverything() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        sim.faults().reboot();
        assertEquals(-1, peer.getInputStream().read(), "the network side of the socket is gone");
        // a burst of 2..7 garbage bytes announces the reboot (QUIRKS 14); then echo on, CMEE 0, socket gone
        String answer = "AT+USOCTL=0,10\r\r\nERROR\r\n";
        String got = host.send("AT+USOCTL=0,10\r").readThrough(answer);
        int garbage = got.length() - answer.length();
        assertTrue(garbage >= 2 && garbage <= 7, "garbage bytes: " + garbage);
        host.command("AT+USOCR=6\r", "AT+USOCR=6\r\r\n+USOCR: 0\r\n\r\nOK\r\n");
    }

    @Test
    void bearerLossOnR4IsCgevAndSocketsDie() throws Exception {
        r4();
        LoopbackPeer p = peer();
        Socket a = open(p, 0);
        Socket b = open(p, 1);
        write(a, ascii("lost"));
        host.expect("\r\n+UUSORD: 0,4\r\n");
        sim.faults().bearerLoss();
        host.expect("\r\n+CGEV: NW PDN DEACT 1\r\n");
        host.command("AT\r", "\r\nOK\r\n");                        // nothing else: no +UUSOCL per socket
        assertEquals(-1, a.getInputStream().read());
        assertEquals(-1, b.getInputStream().read());
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+USOWR=1,1\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+USORD=0,10\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+USOCTL=0,10\r", "\r\n+USOCTL: 0,10,0\r\n\r\nOK\r\n");
        host.command("AT+CGACT?\r", "\r\n+CGACT: 1,0\r\n\r\nOK\r\n");
        // recovery: close the dead sockets, activate again
        host.command("AT+USOCL=0\r", "\r\nOK\r\n");
        host.command("AT+USOCL=1\r", "\r\nOK\r\n");
        host.command("AT+CGACT=1,1\r", "\r\nOK\r\n");
        open(p, 0);
    }

    @Test
    void bearerLossOnR5IsUupsdd() throws Exception {
        r5();
        Socket a = open(peer(), 0);
        sim.faults().bearerLoss();
        host.expect("\r\n+UUPSDD: 0\r\n");
        assertEquals(-1, a.getInputStream().read());
        host.command("AT+UPSND=0,8\r", "\r\n+UPSND: 0,8,0\r\n\r\nOK\r\n");
        host.command("AT+USOWR=0,1\r", "\r\nERROR\r\n");
        host.command("AT+USOCL=0\r", "\r\nOK\r\n");
        host.command("AT+UPSDA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUPSDA: 0,\"10.0.0.2\"\r\n");
    }

    @Test
    void remoteCloseOfOneSocket() throws Exception {
        r4();
        LoopbackPeer p = peer();
        Socket a = open(p, 0);
        Socket b = open(p, 1);
        sim.faults().remoteClose(0);
        host.expect("\r\n+UUSOCL: 0\r\n");
        assertEquals(-1, a.getInputStream().read());
        host.command("AT+USOWR=1,2\r", "\r\n@");
        afterPrompt();
        host.command("ok", "\r\n+USOWR: 1,2\r\n\r\nOK\r\n");
        assertArrayEquals(ascii("ok"), LoopbackPeer.readExactly(b, 2));
        assertThrows(IllegalStateException.class, () -> sim.faults().remoteClose(0));
        assertThrows(IllegalStateException.class, () -> sim.faults().remoteClose(5));
    }

    @Test
    void refusedWritesAreOperationNotAllowed() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        sim.faults().failNextSends(2);
        // QUIRKS 16: the R410 answered "Operation not allowed" to AT+USOWR; no prompt, no data taken
        host.command("AT+USOWR=0,3\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+USOER\r", "\r\n+USOER: 11\r\n\r\nOK\r\n");
        host.command("AT+USOWR=0,3,\"one\"\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+USOWR=0,3\r", "\r\n@");
        afterPrompt();
        host.command("two", "\r\n+USOWR: 0,3\r\n\r\nOK\r\n");
        assertArrayEquals(ascii("two"), LoopbackPeer.readExactly(peer, 3));
    }

    @Test
    void silenceDropsInputAndHoldsOutput() throws Exception {
        r4();
        sim.faults().silence(500);
        host.send("AT+CGMM\r");                  // not heard
        sleep(700);                                // let the silence pass (not an assertion)
        host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
    }

    @Test
    void cmeErrorOnTheNextMatchingCommand() throws Exception {
        r4();
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        sim.faults().cmeErrorOnNext("AT\\+USOCR=.*", 3);
        host.command("AT\r", "\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
    }

    @Test
    void urcBetweenACommandAndItsPrompt() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        // QUIRKS 9: +CIEV between a command and its @ prompt
        sim.faults().lateUrcInNextResponse("+CIEV: 2,3");
        host.command("AT+USOWR=0,2\r", "\r\n+CIEV: 2,3\r\n\r\n@");
        afterPrompt();
        host.command("hi", "\r\n+USOWR: 0,2\r\n\r\nOK\r\n");
        assertArrayEquals(ascii("hi"), LoopbackPeer.readExactly(peer, 2));
    }

    @Test
    void closeUrcInsideTheNextReadBeforeItsError() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        sim.control(SaraDialect.class, d -> d.closeUrcInsideNextCommand(true));
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        write(peer, ascii("last"));
        host.expect("\r\n+UUSORD: 0,4\r\n");
        peer.close();
        awaitTcpStateClosed();
        host.command("AT+USORD=0,1024\r", "\r\n+USORD: 0,4,\"last\"\r\n\r\nOK\r\n");
        // QUIRKS 9: +UUSOCL lands inside the next USORD's response, before its own error
        host.command("AT+USORD=0,1024\r", "\r\n+UUSOCL: 0\r\n\r\n+CME ERROR: Operation not allowed\r\n");
    }

    private void awaitTcpStateClosed() throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            host.send("AT+USOCTL=0,10\r");
            String answer = host.readThrough("OK\r\n");
            if (answer.equals("\r\n+USOCTL: 0,10,7\r\n\r\nOK\r\n")) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "never CLOSE_WAIT: " + answer);
            sleep(5);
        }
    }

    @Test
    void droppedAndOmittedDataUrcsLeaveTheDataToPolling() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        sim.faults().dropNextUrc("\\+UUSORD: 0,.*");
        write(peer, ascii("lost"));
        awaitBuffered(0, 4);
        host.command("AT+USORD=0,1024\r", "\r\n+USORD: 0,4,\"lost\"\r\n\r\nOK\r\n");
        write(peer, ascii("x"));
        host.expect("\r\n+UUSORD: 0,1\r\n");                     // the drop was for one URC only
        // QUIRKS 11 knob: data arriving right after a read that emptied the buffer raises no URC
        sim.control(SaraDialect.class, d -> d.omitUusordAfterRead(true));
        host.command("AT+USORD=0,1024\r", "\r\n+USORD: 0,1,\"x\"\r\n\r\nOK\r\n");
        write(peer, ascii("quiet"));
        awaitBuffered(0, 5);
        host.command("AT+USORD=0,2\r", "\r\n+USORD: 0,2,\"qu\"\r\n\r\nOK\r\n\r\n+UUSORD: 0,3\r\n");
    }

    @Test
    void okWithoutLeadingCrlfAfterABinaryRead() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        sim.control(SaraDialect.class, d -> d.okWithoutCrlfAfterRead(true));
        write(peer, ascii("data"));
        host.expect("\r\n+UUSORD: 0,4\r\n");
        // QUIRKS 4: "u-blox can send OK\r\n with no leading CRLF after a binary read"
        host.command("AT+USORD=0,1024\r", "\r\n+USORD: 0,4,\"data\"\r\nOK\r\n");
        host.command("AT+USORD=0,1024\r", "\r\n+USORD: 0,\"\"\r\n\r\nOK\r\n");   // only after data
    }

    @Test
    void shortWritesReportWhatWasTaken() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        sim.control(SaraDialect.class, d -> d.shortWrites(3));
        host.command("AT+USOWR=0,5\r", "\r\n@");
        afterPrompt();
        host.command("hello", "\r\n+USOWR: 0,3\r\n\r\nOK\r\n");
        host.command("AT+USOWR=0,2\r", "\r\n@");
        afterPrompt();
        host.command("lo", "\r\n+USOWR: 0,2\r\n\r\nOK\r\n");
        assertArrayEquals(ascii("hello"), LoopbackPeer.readExactly(peer, 5));
    }

    @Test
    void peerClosingDuringTheBinaryWriteGivesTheErrorFirst() throws Exception {
        r4();
        Socket peer = open(peer(), 0);
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+USOWR=0,3\r", "\r\n@");
        sim.faults().remoteClose(0);
        sleep(100);
        // §3B: "If a binary USOWR is waiting for data when the peer closes, an error is returned first, then +UUSOCL"
        host.command("abc", "\r\n+CME ERROR: Operation not allowed\r\n\r\n+UUSOCL: 0\r\n");
        assertEquals(-1, peer.getInputStream().read());
    }

    @Test
    void bearerLossDuringASyncConnectStillEndsTheCommand() throws Exception {
        sim = dev.atmodem.testkit.sim.ModemSimulator.builder("sara-r4").rttMillis(400).build();
        host = new dev.atmodem.testkit.RawHost(sim.connectPipe());
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
        LoopbackPeer p = peer();
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.send("AT+USOCO=0,\"127.0.0.1\"," + p.port() + "\r");
        closeables.add(p.accept(java.time.Duration.ofSeconds(5)));
        sim.faults().bearerLoss();
        host.expect("\r\n+CGEV: NW PDN DEACT 1\r\n");
        host.expect("\r\nERROR\r\n");
        host.command("AT+USOCTL=0,10\r", "\r\n+USOCTL: 0,10,0\r\n\r\nOK\r\n");
    }
}
