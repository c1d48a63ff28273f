package dev.atmodem.tls;

import java.util.List;

/**
 * What {@link ModemTls#check} found: the negotiated protocol, cipher suite and ALPN protocol, the server's chain with
 * validity dates, and what the handshake cost; or, when the handshake failed, the plain-words problem.
 */
public record TlsReport(String target, boolean ok, String problem, String protocol, String cipherSuite,
                        String applicationProtocol, List<String> chain, HandshakeCost cost) {

    public TlsReport {
        chain = List.copyOf(chain);
    }

    static TlsReport failed(String target, String problem) {
        return new TlsReport(target, false, problem, null, null, null, List.of(), null);
    }

    @Override
    public String toString() {
        if (!ok) {
            return "TLS check of " + target + ": FAILED\n  " + problem;
        }
        StringBuilder sb = new StringBuilder("TLS check of ").append(target).append(": OK\n")
                .append("  protocol: ").append(protocol).append('\n')
                .append("  cipher:   ").append(cipherSuite).append('\n');
        if (applicationProtocol != null && !applicationProtocol.isEmpty()) {
            sb.append("  ALPN:     ").append(applicationProtocol).append('\n');
        }
        sb.append("  chain:\n");
        for (String c : chain) {
            sb.append("    ").append(c).append('\n');
        }
        if (cost != null) {
            sb.append("  cost:     ").append(cost).append('\n');
        }
        return sb.toString();
    }
}
