package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.HostMode;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The faults of every dialect, as a NINA-W shows them: restart, Wi-Fi loss and return, remote close, silence. */
class NinaFaultsTest extends NinaTestBase {

    private EdmFrame openInEdm(LoopbackPeer p, int handle) throws Exception {
        request("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"");
        expectResponse("\r\n+UDCP:" + handle + "\r\n\r\nOK\r\n");
        closeables.add(p.accept(Duration.ofSeconds(5)));
        EdmFrame connect = next();
        assertEquals(EdmFrame.CONNECT_EVENT, connect.type());
        assertTrue(text(next().data()).startsWith("\r\n+UUDPC:" + handle + ","));
        return connect;
    }

    @Test
    void rebootInEdmComesBackInCommandModeWithStartup() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        openInEdm(peer(), 1);
        sim.faults().reboot();
        // garbage bytes, then +STARTUP as plain text: the module restarted in command mode with echo on
        String boot = host.readThrough("\r\n+STARTUP\r\n");
        assertTrue(boot.endsWith("\r\n+STARTUP\r\n"));
        host.command("AT\r", "AT\r\r\nOK\r\n");
        sim.control(NinaDialect.class, d -> {
            assertEquals(HostMode.COMMAND, d.hostMode());
            assertEquals(0, d.peerCount());
        });
        // the station configuration was not stored: no network until configured again
        host.command("AT+UNSTAT=0,101\r", "AT+UNSTAT=0,101\r\r\n+UNSTAT:0,101,0.0.0.0\r\n\r\nOK\r\n");
    }

    @Test
    void wifiLossClosesEveryPeerAndTheLinkComesBack() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        LoopbackPeer p = peer();
        EdmFrame a = openInEdm(p, 1);
        EdmFrame b = openInEdm(p, 2);
        sim.control(NinaDialect.class, d -> d.linkRestoreMillis(-1));
        sim.faults().bearerLoss();
        expectEvent("+UUWLD:0,2");
        expectEvent("+UUND:0");
        assertEquals(EdmFrame.onChannel(EdmFrame.DISCONNECT_EVENT, a.channel(), new byte[0]), next());
        expectEvent("+UUDPD:1");
        assertEquals(EdmFrame.onChannel(EdmFrame.DISCONNECT_EVENT, b.channel(), new byte[0]), next());
        expectEvent("+UUDPD:2");
        request("AT+UNSTAT=0,101");
        expectResponse("\r\n+UNSTAT:0,101,0.0.0.0\r\n\r\nOK\r\n");
        request("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"");
        expectResponse("\r\nERROR\r\n");
        sim.control(NinaDialect.class, NinaDialect::restoreLink);
        expectEvent("+UUWLE:0,FAAC838145DA,1");
        expectEvent("+UUNU:0");
        openInEdm(p, 1);
    }

    @Test
    void wifiComesBackByItself() throws Exception {
        ready();
        joinWifi();
        sim.control(NinaDialect.class, d -> d.linkRestoreMillis(50));
        sim.faults().bearerLoss();
        host.expect("\r\n+UUWLD:0,2\r\n\r\n+UUND:0\r\n");
        host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n\r\n+UUNU:0\r\n");
        host.command("AT+UNSTAT=0,101\r", "\r\n+UNSTAT:0,101,192.168.1.10\r\n\r\nOK\r\n");
    }

    @Test
    void remoteCloseFault() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        EdmFrame c = openInEdm(peer(), 1);
        sim.faults().remoteClose(1);
        assertEquals(EdmFrame.onChannel(EdmFrame.DISCONNECT_EVENT, c.channel(), new byte[0]), next());
        expectEvent("+UUDPD:1");
        assertThrows(IllegalStateException.class, () -> sim.faults().remoteClose(1));
    }

    @Test
    void silenceHoldsAnswersBackAndDropsWhatTheHostSends() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        sim.faults().silence(300);
        request("AT+GMM");   // lost: the module does not listen
        host.timeout(Duration.ofMillis(150));
        assertThrows(AssertionError.class, () -> host.read(1));
        Thread.sleep(200);
        host.timeout(Duration.ofSeconds(5));
        request("AT");
        expectResponse("\r\nOK\r\n");
    }

    @Test
    void aPacketCutBySilenceDoesNotDesynchroniseTheLine() throws Exception {
        ready();
        enterEdm();
        byte[] whole = EdmFrame.at(EdmFrame.AT_REQUEST, ascii("AT+GMM\r")).encode();
        host.send(java.util.Arrays.copyOf(whole, 5));
        sim.faults().silence(100);
        host.send(java.util.Arrays.copyOfRange(whole, 5, whole.length));
        Thread.sleep(150);
        request("AT");
        expectResponse("\r\nOK\r\n");
    }

    /** The framework's generic faults keep working inside EDM: each lands in its own packet, in order. */
    @Test
    void genericFaultsInEdm() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        sim.faults().lateUrcInNextResponse("+UUNERR");
        request("AT");
        expectEvent("+UUNERR");
        expectResponse("\r\nOK\r\n");
        sim.faults().cmeErrorOnNext("AT\\+UNSTAT=.*", 3);
        request("AT+UNSTAT=0,101");
        expectResponse("\r\nERROR\r\n");
        request("AT+CMEE=1");
        expectResponse("\r\nOK\r\n");
        sim.faults().cmeErrorOnNext("AT\\+UNSTAT=.*", 3);
        request("AT+UNSTAT=0,101");
        expectResponse("\r\n+CME ERROR: 3\r\n");
        sim.faults().dropNextUrc("\\+UUDPC:.*");
        LoopbackPeer p = peer();
        request("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"");
        expectResponse("\r\n+UDCP:1\r\n\r\nOK\r\n");
        closeables.add(p.accept(Duration.ofSeconds(5)));
        assertEquals(EdmFrame.CONNECT_EVENT, next().type());   // the +UUDPC event that follows is lost
        request("AT");
        expectResponse("\r\nOK\r\n");
    }

    @Test
    void rebootWhileTheHostIsHeldBackEndsTheWait() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        LoopbackPeer p = peer();
        request("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"");
        expectResponse("\r\n+UDCP:1\r\n\r\nOK\r\n");
        Socket far = p.accept(Duration.ofSeconds(5));   // never reads
        closeables.add(far);
        int channel = next().channel();
        next();
        byte[] chunk = new byte[EdmFrame.maxData(EdmFrame.DATA_COMMAND)];
        java.util.concurrent.CompletableFuture<Void> sender = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 2000; i++) {   // 8 MB: far more than the kernel and the modem buffer
                    send(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, channel, chunk));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sim.stats().hostHeldBack() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(sim.stats().hostHeldBack() > 0, "the modem is holding the host back");
        sim.faults().reboot();
        // the module restarted: it reads the line again (the rest of the burst is noise to a command-mode modem)
        host.readThrough("\r\n+STARTUP\r\n");
        sender.get(20, java.util.concurrent.TimeUnit.SECONDS);
        host.send("\r");
        host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
    }

    @Test
    void remoteDataSurvivesUntilTheClose() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        LoopbackPeer p = peer();
        request("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"");
        expectResponse("\r\n+UDCP:1\r\n\r\nOK\r\n");
        Socket far = p.accept(Duration.ofSeconds(5));
        EdmFrame connect = next();
        next();
        byte[] big = new byte[5000];
        new java.util.Random(9).nextBytes(big);
        write(far, big);
        far.close();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        EdmFrame f;
        while ((f = next()).type() == EdmFrame.DATA_EVENT) {
            assertEquals(connect.channel(), f.channel());
            got.writeBytes(f.data());
        }
        assertArrayEquals(big, got.toByteArray());
        assertEquals(EdmFrame.DISCONNECT_EVENT, f.type());
        expectEvent("+UUDPD:1");
    }
}
