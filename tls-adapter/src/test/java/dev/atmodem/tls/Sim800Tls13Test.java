package dev.atmodem.tls;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The case the SIM800's own firmware cannot do (its TLS stops at 1.0): TLS 1.3 to a TLS 1.3-only server, through the
 * simulated SIM800, with the host doing the TLS.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class Sim800Tls13Test {

    @TempDir
    Path dir;

    @Test
    void tls13ThroughASim800() throws Exception {
        TestPki.Issued root = TestPki.root("CN=SIM800 Test Root", TestPki.ec());
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.ec(), root, "tls.test");
        try (ModemSimulator sim = ModemSimulator.builder("sim800").baud(115_200).rttMillis(50).seed(8).build();
             JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.3", null)) {
            sim.names().put("tls.test", "127.0.0.1");
            try (Modem modem = Modem.open(sim.connectPipe(), ModemOptions.cellular("internet")
                    .withPolling(Duration.ofMillis(200), Duration.ofSeconds(1)))) {
                assertEquals("sim800", modem.driverName());
                ModemTls tls = ModemTls.builder().trustPem(TestPki.write(dir, "root.pem", TestPki.pem(root.cert())))
                        .build();
                try (SSLSocket s = (SSLSocket) tls.socketFactory(modem).createSocket("tls.test", srv.port())) {
                    TlsFixture.echoLine(s, "TLS 1.3 through a SIM800");
                    assertEquals("TLSv1.3", s.getSession().getProtocol());
                    System.out.println("SIM800 TLS 1.3 handshake at 115200 baud: "
                            + ((ModemSslSocket) s).handshakeCost());
                }
            }
        }
    }
}
