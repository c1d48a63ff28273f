package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Peers in command mode (AT-REFERENCE §4B): open, the connect URC, close, failures, the peer limit. */
class NinaPeerTest extends NinaTestBase {

    private static final Pattern UUDPC = Pattern.compile(
            "\r\n\\+UUDPC:(\\d+),2,0,192\\.168\\.1\\.10,(\\d+),127\\.0\\.0\\.1,(\\d+)\r\n");

    /** Opens a peer to {@code p}; returns the far end's socket after checking {@code +UDCP} and {@code +UUDPC}. */
    Socket open(LoopbackPeer p, int handle, String host) throws Exception {
        this.host.command("AT+UDCP=\"tcp://" + host + ":" + p.port() + "/\"\r",
                "\r\n+UDCP:" + handle + "\r\n\r\nOK\r\n");
        Socket s = p.accept(Duration.ofSeconds(5));
        closeables.add(s);
        String urc = this.host.readThrough("\r\n");
        urc += this.host.readThrough("\r\n");
        Matcher m = UUDPC.matcher(urc);
        assertTrue(m.matches(), urc);
        assertEquals(handle, Integer.parseInt(m.group(1)));
        assertEquals(s.getPort(), Integer.parseInt(m.group(2)), "local port = the far end's view of it");
        assertEquals(p.port(), Integer.parseInt(m.group(3)));
        return s;
    }

    @Test
    void opensAndClosesAPeer() throws Exception {
        ready();
        joinWifi();
        LoopbackPeer p = peer();
        Socket s = open(p, 1, "127.0.0.1");
        host.command("AT+UDLP?\r", "\r\n+UDLP:1,tcp,192.168.1.10:" + s.getPort() + ",127.0.0.1:" + p.port()
                + "\r\n\r\nOK\r\n");
        host.command("AT+UDCPC=1\r", "\r\nOK\r\n");
        host.expect("\r\n+UUDPD:1\r\n");
        s.setSoTimeout(5000);
        assertEquals(-1, s.getInputStream().read(), "the far end sees the close");
        host.command("AT+UDCPC=1\r", "\r\nERROR\r\n");
    }

    @Test
    void hostNamesResolveThroughTheNameTable() throws Exception {
        ready();
        joinWifi();
        open(peer(), 1, "localhost");
        sim.names().put("api.test", "127.0.0.1");
        open(peer(), 2, "api.test");
    }

    @Test
    void handlesAreReusedLowestFirst() throws Exception {
        ready();
        joinWifi();
        LoopbackPeer p = peer();
        open(p, 1, "127.0.0.1");
        open(p, 2, "127.0.0.1");
        host.command("AT+UDCPC=1\r", "\r\nOK\r\n");
        host.expect("\r\n+UUDPD:1\r\n");
        open(p, 1, "127.0.0.1");
    }

    @Test
    void failedConnectsEndWithUudpd() throws Exception {
        ready();
        joinWifi();
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }
        host.command("AT+UDCP=\"tcp://127.0.0.1:" + closedPort + "/\"\r", "\r\n+UDCP:1\r\n\r\nOK\r\n");
        host.expect("\r\n+UUDPD:1\r\n");
        host.command("AT+UDCP=\"tcp://no-such-host.test:80/\"\r", "\r\n+UDCP:1\r\n\r\nOK\r\n");
        host.expect("\r\n+UUDPD:1\r\n");
        // nothing leaves the machine: only 127.0.0.0/8 is reachable
        host.command("AT+UDCP=\"tcp://10.1.2.3:80/\"\r", "\r\n+UDCP:1\r\n\r\nOK\r\n");
        host.expect("\r\n+UUDPD:1\r\n");
    }

    @Test
    void refusesWithoutNetworkOrWithABadUrl() throws Exception {
        ready();
        LoopbackPeer p = peer();
        host.command("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"\r", "\r\nERROR\r\n");
        joinWifi();
        host.command("AT+UDCP=\"udp://127.0.0.1:" + p.port() + "/\"\r", "\r\nERROR\r\n");
        host.command("AT+UDCP=\"tcp://127.0.0.1/\"\r", "\r\nERROR\r\n");
        host.command("AT+UDCP=\"tcp://127.0.0.1:99999/\"\r", "\r\nERROR\r\n");
        host.command("AT+UDCP=tcp://127.0.0.1:80/\r", "\r\nERROR\r\n");
        open(p, 1, "127.0.0.1");
    }

    @Test
    void theModelsPeerLimit() throws Exception {
        ready();
        joinWifi();
        LoopbackPeer p = peer();
        int max = NinaModel.NINA_W13.maxPeers();
        for (int h = 1; h <= max; h++) {
            open(p, h, "127.0.0.1");
        }
        host.command("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"\r", "\r\nERROR\r\n");
        host.command("AT+UDCPC=3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUDPD:3\r\n");
        open(p, 3, "127.0.0.1");
        sim.control(NinaDialect.class, d -> assertEquals(max, d.peerCount()));
    }

    @Test
    void remoteCloseIsUudpd() throws Exception {
        ready();
        joinWifi();
        Socket s = open(peer(), 1, "127.0.0.1");
        s.close();
        host.expect("\r\n+UUDPD:1\r\n");
        open(peer(), 1, "127.0.0.1");
        sim.faults().remoteClose(1);
        host.expect("\r\n+UUDPD:1\r\n");
    }

    @Test
    void dataReceivedInCommandModeWaitsForEdm() throws Exception {
        ready();
        joinWifi();
        Socket s = open(peer(), 1, "127.0.0.1");
        write(s, NASTY);
        Thread.sleep(50);
        host.command("AT\r", "\r\nOK\r\n");   // nothing of the data in command mode
        enterEdm();
        EdmFrame connect = next();
        assertEquals(EdmFrame.CONNECT_EVENT, connect.type());
        EdmFrame data = next();
        assertEquals(EdmFrame.DATA_EVENT, data.type());
        assertEquals(connect.channel(), data.channel());
        assertArrayEquals(NASTY, data.data());
    }

    @Test
    void withQueryOptions() throws Exception {
        ready(ModemSimulator.builder("nina-w"));
        joinWifi();
        LoopbackPeer p = peer();
        host.command("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/?local_port=0&flush_tx=1&keepalive=1+2+3\"\r",
                "\r\n+UDCP:1\r\n\r\nOK\r\n");
        closeables.add(p.accept(Duration.ofSeconds(5)));
        assertTrue(host.readThrough("\r\n+UUDPC:1,2,0,").endsWith("+UUDPC:1,2,0,"));
    }
}
