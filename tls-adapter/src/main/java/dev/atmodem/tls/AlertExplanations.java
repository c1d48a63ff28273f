package dev.atmodem.tls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * Plain words for the TLS alerts that end a handshake because the two sides share no protocol version or no cipher
 * suite: what a server that speaks only TLS 1.0/1.1, or offers only weak suites (RC4, 3DES, NULL, export,
 * anonymous), ends up sending or receiving. Bouncy Castle says only {@code protocol_version(70)}.
 */
final class AlertExplanations {

    private AlertExplanations() {
    }

    /** The explanation for the first such alert in {@code e}'s causes, or null. */
    static String explain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TlsFatalAlertReceived r) {
                return describe(r.getAlertDescription(), true);
            }
            if (t instanceof TlsFatalAlert a) {
                return describe(a.getAlertDescription(), false);
            }
        }
        return null;
    }

    private static String describe(short alert, boolean fromServer) {
        String what = (fromServer ? "the server sent " : "we sent ") + AlertDescription.getText(alert);
        return switch (alert) {
            case AlertDescription.protocol_version -> "no TLS version in common (" + what + "): atmodem speaks only"
                    + " TLSv1.3 and TLSv1.2, and the server " + (fromServer ? "accepts neither" : "chose an older one")
                    + "; TLS 1.1 and older are refused as insecure";
            case AlertDescription.handshake_failure, AlertDescription.insufficient_security -> fromServer
                    ? "the server accepted none of the cipher suites, groups or signature algorithms atmodem offers ("
                    + what + "); a server offering only weak suites (RC4, 3DES, NULL, export, anonymous) is refused"
                    : null;
            default -> null;
        };
    }
}
