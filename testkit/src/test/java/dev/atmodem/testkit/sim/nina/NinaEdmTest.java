package dev.atmodem.testkit.sim.nina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Extended Data Mode (AT-REFERENCE §4C) driven as raw packets: AT requests, responses and events, connect and
 * disconnect events with their layout, and binary data both ways on several peers at once.
 */
class NinaEdmTest extends NinaTestBase {

    /** A peer opened in EDM: its handle, its channel (from the connect event) and the far end. */
    record Opened(int handle, int channel, Socket far) {
    }

    Opened open(LoopbackPeer p, int handle) throws Exception {
        return open(p, handle, true);
    }

    /** With {@code accept} false the peer accepts by itself (an echo peer); the far end is then null. */
    Opened open(LoopbackPeer p, int handle, boolean accept) throws Exception {
        request("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"");
        expectResponse("\r\n+UDCP:" + handle + "\r\n\r\nOK\r\n");
        Socket far = accept ? p.accept(Duration.ofSeconds(5)) : null;
        if (far != null) {
            closeables.add(far);
        }
        EdmFrame connect = next();
        assertEquals(EdmFrame.CONNECT_EVENT, connect.type(), connect.toString());
        ByteBuffer b = ByteBuffer.wrap(connect.data());
        assertEquals(14, connect.data().length, "IPv4 connect event: 14 bytes after type and channel");
        assertEquals(EdmFrame.CONN_IPV4, b.get());
        assertEquals(EdmFrame.PROTO_TCP, b.get());
        assertEquals(0x7F000001, b.getInt(), "remote 127.0.0.1");
        assertEquals(p.port(), b.getShort() & 0xFFFF);
        assertEquals(0xC0A8010A, b.getInt(), "local 192.168.1.10");
        int localPort = b.getShort() & 0xFFFF;
        if (far != null) {
            assertEquals(far.getPort(), localPort);
        }
        expectEvent("+UUDPC:" + handle + ",2,0,192.168.1.10," + localPort + ",127.0.0.1," + p.port());
        return new Opened(handle, connect.channel(), far);
    }

    /** On a module that is ready: joins the Wi-Fi, enters EDM and opens peers 1 to 3 to one loopback peer. */
    List<Opened> threePeersInEdm() throws Exception {
        joinWifi();
        enterEdm();
        LoopbackPeer p = peer();
        List<Opened> peers = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            peers.add(open(p, h));
        }
        return peers;
    }

    @Test
    void atCommandsTravelInPackets() throws Exception {
        ready();
        enterEdm();
        request("AT");
        expectResponse("\r\nOK\r\n");
        request("AT+UNSTAT=0,101");
        expectResponse("\r\n+UNSTAT:0,101,0.0.0.0\r\n\r\nOK\r\n");
        request("AT+BOGUS");
        expectResponse("\r\nERROR\r\n");
        // echo on: the echo travels in the same response packet as the answer
        request("ATE1");
        expectResponse("\r\nOK\r\n");
        request("AT");
        expectResponse("AT\r\r\nOK\r\n");
        // a command with CRLF, as ubxlib sends
        send(EdmFrame.at(EdmFrame.AT_REQUEST, ascii("ATE0\r\n")));
        expectResponse("ATE0\r\r\nOK\r\n");
        // plain text is not a packet: the module ignores it
        host.send("AT\r");
        request("AT");
        expectResponse("\r\nOK\r\n");
    }

    @Test
    void urcsBecomeEventsAndAtoZeroLeaves() throws Exception {
        ready();
        configure("atmodem-sim", 2, "atmodem-sim-pass");
        enterEdm();
        request("AT+UWSCA=0,3");
        expectResponse("\r\nOK\r\n");
        expectEvent("+UUWLE:0,FAAC838145DA,1");
        expectEvent("+UUNU:0");
        request("ATO0");
        expectResponse("\r\nOK\r\n");
        host.command("AT\r", "\r\nOK\r\n");
    }

    @Test
    void echoThroughOnePeerInFrameSizedPieces() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        Opened o = open(echoPeer(), 1, false);
        assertNotEquals(o.handle(), o.channel(), "the channel is deliberately not the handle (§4C)");
        byte[] data = new byte[20_000];
        new Random(3).nextBytes(data);
        for (int off = 0; off < data.length; off += 1000) {
            send(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, o.channel(),
                    java.util.Arrays.copyOfRange(data, off, off + 1000)));
        }
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        while (back.size() < data.length) {
            EdmFrame f = next();
            assertEquals(EdmFrame.DATA_EVENT, f.type(), f.toString());
            assertEquals(o.channel(), f.channel());
            assertTrue(f.data().length <= NinaDialect.DATA_EVENT_MAX);
            back.writeBytes(f.data());
        }
        assertArrayEquals(data, back.toByteArray());
        assertEquals(data.length, sim.stats().socket(1).sent());
        assertEquals(data.length, sim.stats().socket(1).received());
    }

    @Test
    void severalPeersAtOnceWithBinaryData() throws Exception {
        ready();
        List<Opened> peers = threePeersInEdm();
        // host -> far ends: each far end gets exactly its own bytes
        for (Opened o : peers) {
            byte[] mine = (o.handle() + ":").getBytes();
            send(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, o.channel(), mine));
            send(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, o.channel(), NASTY));
        }
        for (Opened o : peers) {
            byte[] mine = (o.handle() + ":").getBytes();
            assertArrayEquals(mine, LoopbackPeer.readExactly(o.far(), mine.length));
            assertArrayEquals(NASTY, LoopbackPeer.readExactly(o.far(), NASTY.length));
        }
        // far ends -> host, interleaved: each channel carries its own far end's bytes
        for (Opened o : peers) {
            write(o.far(), NASTY);
            write(o.far(), new byte[] {(byte) o.handle()});
        }
        Map<Integer, ByteArrayOutputStream> got = new HashMap<>();
        int want = 3 * (NASTY.length + 1);
        int total = 0;
        while (total < want) {
            EdmFrame f = next();
            assertEquals(EdmFrame.DATA_EVENT, f.type(), f.toString());
            got.computeIfAbsent(f.channel(), k -> new ByteArrayOutputStream()).writeBytes(f.data());
            total += f.data().length;
        }
        for (Opened o : peers) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(NASTY);
            expected.write(o.handle());
            assertArrayEquals(expected.toByteArray(), got.get(o.channel()).toByteArray());
        }
    }

    /**
     * Peers receiving at once share the line: the module keeps each peer's data with the peer and hands the UART one
     * data event per peer in turn, so a peer whose data came first does not have all of it delivered before the others.
     */
    @Test
    void peersReceivingAtOnceTakeTurnsOnTheLine() throws Exception {
        ready(ModemSimulator.builder("nina-w").baud(115_200));   // paced, so the peers' data waits for the line
        List<Opened> peers = threePeersInEdm();
        byte[] block = new byte[8 * NinaDialect.DATA_EVENT_MAX];   // within a peer's receive window
        for (Opened o : peers) {
            write(o.far(), block);   // the first peer's whole block is there before the second's
        }
        List<Integer> order = new ArrayList<>();
        int total = 0;
        while (total < 3 * block.length) {
            EdmFrame f = next();
            assertEquals(EdmFrame.DATA_EVENT, f.type(), f.toString());
            order.add(f.channel());
            total += f.data().length;
        }
        // Once all three have data waiting, no channel has two events in a row until the first of them runs dry.
        // Which peer's data the simulator reads first is up to its network threads: "all in" is where the last of the
        // three channels first shows.
        int allIn = 0;
        for (Opened o : peers) {
            allIn = Math.max(allIn, order.indexOf(o.channel()));
        }
        int firstDry = order.size() - 1;
        for (Opened o : peers) {
            firstDry = Math.min(firstDry, order.lastIndexOf(o.channel()));
        }
        assertTrue(allIn <= 6, "the last peer to get data waited behind " + allIn + " events: " + order);
        for (int i = allIn + 1; i <= firstDry; i++) {
            assertNotEquals(order.get(i - 1), order.get(i), "channel " + order.get(i) + " twice in a row: " + order);
        }
        assertTrue(firstDry - allIn >= 12, "the peers shared the line for only " + (firstDry - allIn) + " events: "
                + order);
    }

    @Test
    void closesInEdm() throws Exception {
        ready();
        joinWifi();
        enterEdm();
        LoopbackPeer p = peer();
        Opened a = open(p, 1);
        Opened b = open(p, 2);
        // host close: OK, then the disconnect event and +UUDPD
        request("AT+UDCPC=1");
        expectResponse("\r\nOK\r\n");
        assertEquals(EdmFrame.onChannel(EdmFrame.DISCONNECT_EVENT, a.channel(), new byte[0]), next());
        expectEvent("+UUDPD:1");
        // remote close after data: the data first, then the events
        write(b.far(), NASTY);
        b.far().close();
        EdmFrame data = next();
        assertEquals(EdmFrame.onChannel(EdmFrame.DATA_EVENT, b.channel(), NASTY), data);
        assertEquals(EdmFrame.onChannel(EdmFrame.DISCONNECT_EVENT, b.channel(), new byte[0]), next());
        expectEvent("+UUDPD:2");
        // data for a channel with no peer is dropped, and the module carries on
        send(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, b.channel(), NASTY));
        request("AT");
        expectResponse("\r\nOK\r\n");
    }

    @Test
    void peersOpenedBeforeEdmAreAnnouncedOnEntry() throws Exception {
        ready();
        joinWifi();
        LoopbackPeer p = peer();
        host.command("AT+UDCP=\"tcp://127.0.0.1:" + p.port() + "/\"\r", "\r\n+UDCP:1\r\n\r\nOK\r\n");
        Socket far = p.accept(Duration.ofSeconds(5));
        closeables.add(far);
        host.readThrough("+UUDPC:1,");
        host.readThrough("\r\n");
        enterEdm();
        EdmFrame connect = next();
        assertEquals(EdmFrame.CONNECT_EVENT, connect.type());
        send(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, connect.channel(), NASTY));
        assertArrayEquals(NASTY, LoopbackPeer.readExactly(far, NASTY.length));
    }
}
