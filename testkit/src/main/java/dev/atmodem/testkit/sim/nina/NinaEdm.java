package dev.atmodem.testkit.sim.nina;

import dev.atmodem.testkit.sim.HostFraming;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module's side of Extended Data Mode (§4C): AT-request packets become command lines, data commands go to their
 * peer, and AT answers and URCs leave as AT-response and AT-event packets. Anything else from the host is ignored.
 */
final class NinaEdm implements HostFraming {

    private static final Logger log = LoggerFactory.getLogger(NinaEdm.class);

    private final NinaPeers peers;
    private final ArrayDeque<EdmFrame> decoded = new ArrayDeque<>();
    private final EdmDecoder decoder = new EdmDecoder(decoded::add);

    NinaEdm(NinaPeers peers) {
        this.peers = peers;
    }

    @Override
    public void fromHost(byte b, CommandSink commands) throws InterruptedException {
        decoder.accept(b);
        EdmFrame f;
        while ((f = decoded.poll()) != null) {
            switch (f.type()) {
                case EdmFrame.AT_REQUEST -> commands.command(f.data());
                case EdmFrame.DATA_COMMAND -> peers.dataFromHost(f.channel(), f.data());
                default -> log.debug("ignoring an EDM packet the module does not take from a host: {}", f);
            }
        }
    }

    @Override
    public byte[] response(byte[] text) {
        return wrap(EdmFrame.AT_RESPONSE, text);
    }

    @Override
    public byte[] event(byte[] text) {
        return wrap(EdmFrame.AT_EVENT, text);
    }

    /** AT text in as many packets as it needs (answers are short; this only guards the 4092-byte limit). */
    private static byte[] wrap(int type, byte[] text) {
        int max = EdmFrame.maxData(type);
        if (text.length <= max) {
            return EdmFrame.at(type, text).encode();
        }
        java.util.List<EdmFrame> frames = new java.util.ArrayList<>();
        for (int off = 0; off < text.length; off += max) {
            frames.add(EdmFrame.at(type, java.util.Arrays.copyOfRange(text, off, Math.min(text.length, off + max))));
        }
        return EdmFrame.encodeAll(frames);
    }
}
