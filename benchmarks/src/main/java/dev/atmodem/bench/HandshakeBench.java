package dev.atmodem.bench;

import dev.atmodem.tls.HandshakeCost;
import dev.atmodem.tls.ModemSslSocket;
import dev.atmodem.tls.ModemTls;
import java.io.StringWriter;
import java.net.Socket;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * Issue 9 §3: what a handshake puts on the wire - TLS 1.3 full, TLS 1.2 full and TLS 1.2 resumed, with an ECDSA P-256
 * and an RSA-2048 server certificate. The figure is the TLS payload each way (what the operator bills) and the round
 * trips, from {@link ModemSslSocket#handshakeCost()}; the limit column shows the serial bytes each way (AT framing
 * included); the ratio compares the total payload with the full TLS 1.2 handshake of the same certificate.
 */
final class HandshakeBench {

    private HandshakeBench() {
    }

    static void run(Config cfg, Report report) throws Exception {
        BenchPki pki = BenchPki.create();
        StringWriter rootPem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(rootPem)) {
            w.writeObject(pki.root().cert());
        }
        BenchModem m = cfg.handshakeModem();
        for (BenchPki.KeyType type : BenchPki.KeyType.values()) {
            String key = type == BenchPki.KeyType.RSA_2048 ? "RSA-2048" : "ECDSA P-256";
            BenchPki.Issued id = pki.server(type);
            try (Rig rig = Rig.open(m, Config.FAST, 0)) {
                Measured full12;
                try (TlsServer s12 = new TlsServer(id, "TLSv1.2")) {
                    // one ModemTls per case, so that only the resumed case finds a session to resume
                    ModemTls tls12 = ModemTls.builder().trustPemText(rootPem.toString()).preferTls12Resumption()
                            .build();
                    full12 = handshake(rig, tls12, s12.port());
                    Measured resumed = handshake(rig, tls12, s12.port());
                    Measured full13;
                    try (TlsServer s13 = new TlsServer(id, "TLSv1.3")) {
                        full13 = handshake(rig, ModemTls.builder().trustPemText(rootPem.toString()).build(),
                                s13.port());
                    }
                    report.add(row("TLS 1.3 full, " + key, m, full13, full12, false));
                    report.add(row("TLS 1.2 full, " + key, m, full12, full12, false));
                    report.add(row("TLS 1.2 resumed, " + key, m, resumed, full12, true));
                }
            } catch (Exception e) {
                report.add(Row.failed("handshake " + key, m.dialect(), e.toString()));
            }
        }
    }

    record Measured(HandshakeCost cost, Rig.Line line) {
        long payload() {
            return cost.bytesSent() + cost.bytesReceived();
        }
    }

    private static Measured handshake(Rig rig, ModemTls tls, int port) throws Exception {
        try (Socket plain = tls.socketFactory(rig.modem()).createSocket("127.0.0.1", port)) {
            ModemSslSocket s = (ModemSslSocket) plain;
            s.setSoTimeout(60_000);
            Rig.Line l0 = rig.line();
            s.startHandshake();
            Rig.Line line = rig.line().minus(l0);
            return new Measured(s.handshakeCost(), line);
        }
    }

    private static Row row(String measure, BenchModem m, Measured x, Measured full12, boolean mustResume) {
        HandshakeCost c = x.cost();
        String figure = "↑ " + c.bytesSent() + " B ↓ " + c.bytesReceived() + " B, " + c.roundTrips() + " RT"
                + (c.resumed() ? ", resumed" : "");
        String limit = "serial ↑ " + x.line().up() + " B ↓ " + x.line().down() + " B";
        double ratio = x.payload() / (double) full12.payload();
        if (mustResume && !c.resumed()) {
            return new Row(measure, m.dialect(), figure + ", NOT resumed", limit, ratio, "resumes", Row.FAIL);
        }
        return new Row(measure, m.dialect(), figure, limit, ratio, mustResume ? "resumes" : Row.INFO,
                mustResume ? Row.PASS : Row.INFO);
    }
}
