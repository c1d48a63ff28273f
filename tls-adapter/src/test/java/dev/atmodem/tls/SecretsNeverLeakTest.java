package dev.atmodem.tls;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.hostile.DriverCase;
import dev.atmodem.testkit.hostile.HostileBytes;
import dev.atmodem.testkit.hostile.HostileModem;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.SimOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every driver with every logger at TRACE (the AT trace {@code dev.atmodem.at.trace}, the raw link trace, everything
 * else): a SIM PIN, APN credentials, a mutual-TLS handshake with a password-protected client key, then the failures
 * that carry secrets (a wrong PIN, the APN command refused and unanswered, a wrong key password). All log output and
 * every exception (message, causes, stack trace) is captured, and none of it may contain a PIN, a password, the key
 * password or any piece of the private key.
 *
 * <p>Runs in its own surefire execution ({@code secrets-trace}) so that slf4j-simple starts at TRACE; elsewhere it is
 * skipped.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecretsNeverLeakTest {

    static final List<DriverCase> DRIVERS = DriverCase.ALL;

    private static final String PIN = "73915824";
    private static final String WRONG_PIN = "48260937";
    private static final String APN_USER = "apn-user-visible";
    private static final String APN_PASSWORD = "Apn-Pw-q7Zx3Lm9";
    private static final String WIFI_PASSPHRASE = "Wifi-Pass-m3Kd8Qz1";
    /** Not a secret: an SSID is broadcast, and naming it is what makes a failed join diagnosable. */
    private static final String WIFI_SSID = "secrets-ssid";
    private static final String KEY_PASSWORD = "Key-Pw-r8Tn2Vc5";
    private static final String WRONG_KEY_PASSWORD = "Key-Pw-wrong-k4Hs";

    @TempDir
    static Path dir;
    private static final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private static PrintStream originalErr;
    private static PrintStream originalOut;
    private static TestPki.Issued root;
    private static TestPki.Issued client;
    private static JdkTlsServer server;
    private static Path rootPem;
    private static Path clientCert;
    private static Path clientKey;
    private static List<String> keyFragments;

    private final List<Throwable> failures = new ArrayList<>();

    @BeforeAll
    static void captureAndPki() throws Exception {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(tee(originalErr), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(tee(originalOut), true, StandardCharsets.UTF_8));
        root = TestPki.root("CN=Secrets Root", TestPki.ec());
        client = TestPki.leaf("device-secrets", TestPki.rsa(), root);
        rootPem = TestPki.write(dir, "root.pem", TestPki.pem(root.cert()));
        clientCert = TestPki.write(dir, "client.crt", TestPki.pem(client.cert()));
        clientKey = TestPki.write(dir, "client.key", TestPki.pkcs8Encrypted(client.key(), KEY_PASSWORD.toCharArray()));
        server = new JdkTlsServer(TestPki.leaf("tls.test", TestPki.ec(), root, "tls.test"), "TLSv1.3", root.cert());
        keyFragments = fragments(client.key().getEncoded());
    }

    @AfterAll
    static void restore() throws Exception {
        System.setErr(originalErr);
        System.setOut(originalOut);
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("DRIVERS")
    void noSecretInTracesOrExceptions(DriverCase d) throws Exception {
        assumeTrue(LoggerFactory.getLogger("dev.atmodem.at.trace").isTraceEnabled(),
                "runs in the secrets-trace surefire execution, with every logger at TRACE");
        int mark = captured.size();

        // 1. The working path: PIN, APN credentials, mutual TLS with an encrypted key.
        try (ModemSimulator sim = sim(d); Modem modem = Modem.open(sim.connectPipe(), options(d, PIN))) {
            ModemTls tls = ModemTls.builder().trustPem(rootPem)
                    .identity(clientCert, clientKey, KEY_PASSWORD.toCharArray()).build();
            try (Socket s = tls.socketFactory(modem).createSocket("tls.test", server.port())) {
                TlsFixture.echoLine(s, "secrets through " + d);
            }
            modem.execute("AT");
        }
        // 2. A wrong PIN (cellular rows; a Wi-Fi module has no SIM).
        if (d.cellular()) {
            try (ModemSimulator sim = sim(d)) {
                failures.add(assertThrows(Exception.class,
                        () -> Modem.open(sim.connectPipe(), options(d, WRONG_PIN))));
            }
        }
        // 3. The command that carries the APN password refused, then unanswered.
        String carried = d.cellular() ? APN_PASSWORD : WIFI_PASSPHRASE;
        for (byte[] answer : List.of(HostileBytes.of("\r\n+CME ERROR: 4\r\n"), new byte[0])) {
            try (ModemSimulator sim = sim(d); HostileModem h = HostileModem.over(sim)) {
                h.answerNext(".*" + carried + ".*", answer);
                failures.add(assertThrows(Exception.class, () -> Modem.open(h.hostLink(), options(d, PIN)
                        .withCommandTimeout(Duration.ofSeconds(2)).withTimeout("CSTT", Duration.ofSeconds(2))
                        .withTimeout("UWSC", Duration.ofSeconds(2)))));
                assertTrue(h.intercepted().size() == 1, "the APN password never went to the modem: " + d);
            }
        }
        // 4. A wrong key password.
        failures.add(assertThrows(Exception.class, () -> ModemTls.builder().trustPem(rootPem)
                .identity(clientCert, clientKey, WRONG_KEY_PASSWORD.toCharArray()).build()));

        String log = captured.toString(StandardCharsets.UTF_8).substring(Math.min(mark, captured.size()));
        assertTrue(log.contains("dev.atmodem.at.trace") && log.contains(" -> AT"), "the AT trace was not captured");
        assertTrue(!d.cellular() || log.contains("AT+CPIN="), "the trace did not show the PIN command");
        StringBuilder all = new StringBuilder(log);
        for (Throwable t : failures) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            all.append('\n').append(w);
        }
        all.append('\n').append(options(d, PIN));
        String text = all.toString();
        for (String secret : List.of(PIN, WRONG_PIN, APN_PASSWORD, WIFI_PASSPHRASE, KEY_PASSWORD,
                WRONG_KEY_PASSWORD)) {
            assertFalse(text.contains(secret), "a secret appeared in the logs or an exception: " + secret
                    + " near: " + around(text, secret));
        }
        for (String fragment : keyFragments) {
            assertFalse(text.contains(fragment), "private-key material appeared: " + fragment);
        }
        // The APN command was traced with its non-secret values: the masking is of the secret, not of the line.
        assertTrue(!d.cellular() || log.contains(APN_USER), "the trace never showed the APN command");
    }

    private static ModemSimulator sim(DriverCase d) {
        SimOptions o = SimOptions.defaults().withPin(PIN);
        ModemSimulator sim = ModemSimulator.builder(d.dialect()).seed(9)
                .options(d.cellular() ? o : o.accessPoint(WIFI_SSID, WIFI_PASSPHRASE)).build();
        sim.names().put("tls.test", "127.0.0.1");
        return sim;
    }

    /** Cellular rows: a PIN and APN credentials; Wi-Fi rows: an SSID and passphrase. */
    private static ModemOptions options(DriverCase d, String pin) {
        ModemOptions o = d.cellular()
                ? ModemOptions.cellular("internet").withPin(pin)
                        .withApnCredentials(APN_USER, APN_PASSWORD, ModemOptions.Auth.PAP)
                : ModemOptions.wifi(WIFI_SSID, WIFI_PASSPHRASE);
        return o.withPolling(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    /** 12-character windows of the key's DER in Base64 and hex: any leak of key material shows one of them. */
    private static List<String> fragments(byte[] der) {
        List<String> f = new ArrayList<>();
        String b64 = Base64.getEncoder().encodeToString(der);
        String hex = HexFormat.of().formatHex(der);
        for (int i = 24; i + 12 <= b64.length(); i += 6) {   // skip the algorithm header every key shares
            f.add(b64.substring(i, i + 12));
        }
        for (int i = 48; i + 16 <= hex.length(); i += 8) {
            f.add(hex.substring(i, i + 16));
            f.add(hex.substring(i, i + 16).toUpperCase());
        }
        return f;
    }

    private static String around(String text, String s) {
        int i = text.indexOf(s);
        return text.substring(Math.max(0, i - 200), Math.min(text.length(), i + s.length() + 50));
    }

    private static OutputStream tee(PrintStream original) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
    }
}
