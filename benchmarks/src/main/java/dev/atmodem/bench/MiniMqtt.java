package dev.atmodem.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Just enough MQTT 3.1.1 for the time to first publish: CONNECT/CONNACK and one QoS 1 PUBLISH/PUBACK, written as the
 * specification frames them (fixed header, remaining length, UTF-8 strings with a 2-byte length). It exists because
 * Eclipse Paho 1.2.5 sleeps in 100 ms steps while starting its three worker threads after the TLS handshake (about
 * 300 ms, seen in thread samples of the benchmark), which would be measured as modem latency; the Paho figure is
 * printed beside it for comparison.
 */
final class MiniMqtt {

    private MiniMqtt() {
    }

    /** Sends CONNECT (clean session) and waits for a CONNACK that accepts it. */
    static void connect(Socket s, String clientId, int keepAliveSeconds) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4);            // protocol level 3.1.1
        body.write(0x02);         // clean session
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds);
        string(body, clientId);
        send(s.getOutputStream(), 0x10, body.toByteArray());
        DataInputStream in = new DataInputStream(s.getInputStream());
        int type = in.readUnsignedByte();
        int len = in.readUnsignedByte();
        if (type != 0x20 || len != 2) {
            throw new IOException("expected CONNACK, got packet type 0x" + Integer.toHexString(type));
        }
        in.readUnsignedByte(); // session present
        int rc = in.readUnsignedByte();
        if (rc != 0) {
            throw new IOException("the broker refused the connection (CONNACK return code " + rc + ")");
        }
    }

    /** Publishes {@code payload} with QoS 1 and waits for its PUBACK. */
    static void publishQos1(Socket s, String topic, byte[] payload, int packetId) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(packetId >> 8);
        body.write(packetId);
        body.writeBytes(payload);
        send(s.getOutputStream(), 0x32, body.toByteArray());
        DataInputStream in = new DataInputStream(s.getInputStream());
        int type = in.readUnsignedByte();
        int len = in.readUnsignedByte();
        if (type != 0x40 || len != 2) {
            throw new IOException("expected PUBACK, got packet type 0x" + Integer.toHexString(type));
        }
        int id = in.readUnsignedShort();
        if (id != packetId) {
            throw new IOException("PUBACK for packet " + id + ", expected " + packetId);
        }
    }

    private static void send(OutputStream out, int header, byte[] body) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream(body.length + 5);
        p.write(header);
        int n = body.length;
        do {
            int digit = n % 128;
            n /= 128;
            p.write(n > 0 ? digit | 0x80 : digit);
        } while (n > 0);
        p.writeBytes(body);
        out.write(p.toByteArray()); // one write: one TLS record, one AT send
        out.flush();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length);
        out.writeBytes(b);
    }
}
