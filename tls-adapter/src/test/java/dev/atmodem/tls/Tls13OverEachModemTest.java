package dev.atmodem.tls;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TLS 1.3 to a TLS 1.3-only server through each simulated modem family, with the host doing the TLS. For the SIM800
 * this is what its own firmware cannot do (its TLS stops at 1.0); for SARA it runs over the '@'-prompt binary writes
 * and the +UUSORD/+USORD reads; for the NINA-W over Extended Data Mode frames after a Wi-Fi join.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class Tls13OverEachModemTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sim800, sim800", "sara-r4, ublox", "sara-r5, ublox", "nina-w, ublox"})
    void tls13ThroughTheModem(String dialect, String driver) throws Exception {
        TestPki.Issued root = TestPki.root("CN=" + dialect + " Test Root", TestPki.ec());
        TestPki.Issued server = TestPki.leaf("tls.test", TestPki.ec(), root, "tls.test");
        try (ModemSimulator sim = ModemSimulator.builder(dialect).baud(115_200).rttMillis(50).seed(8).build();
             JdkTlsServer srv = new JdkTlsServer(server, "TLSv1.3", null)) {
            sim.names().put("tls.test", "127.0.0.1");
            try (Modem modem = Modem.open(sim.connectPipe(), options(dialect)
                    .withPolling(Duration.ofMillis(200), Duration.ofSeconds(1)))) {
                assertEquals(driver, modem.driverName());
                ModemTls tls = ModemTls.builder().trustPem(TestPki.write(dir, "root.pem", TestPki.pem(root.cert())))
                        .build();
                try (SSLSocket s = (SSLSocket) tls.socketFactory(modem).createSocket("tls.test", srv.port())) {
                    TlsFixture.echoLine(s, "TLS 1.3 through " + dialect);
                    assertEquals("TLSv1.3", s.getSession().getProtocol());
                    System.out.println(dialect + " TLS 1.3 handshake at 115200 baud: "
                            + ((ModemSslSocket) s).handshakeCost());
                }
            }
        }
    }

    /** Cellular modems take an APN; the NINA-W joins the simulated access point (testkit's default SSID). */
    private static ModemOptions options(String dialect) {
        return dialect.startsWith("nina") || dialect.startsWith("odin")
                ? ModemOptions.wifi("atmodem-sim", "atmodem-sim-pass") : ModemOptions.cellular("internet");
    }
}
