package dev.atmodem.examples;

import com.sun.net.httpserver.HttpsServer;
import dev.atmodem.examples.demo.DemoPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands end to end, in-process, against the simulated BG96 and local servers on 127.0.0.1. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CommandsTest {

    @TempDir
    static Path dir;
    private static HttpsServer https;
    private static Path rootPem;
    private static Path otherRootPem;

    @BeforeAll
    static void servers() throws Exception {
        rootPem = dir.resolve("root.pem");
        https = TestServers.https(DemoPki.create("Examples Test Root"), rootPem);
        otherRootPem = dir.resolve("other-root.pem");
        TestServers.writePem(otherRootPem, DemoPki.create("Some Other Root").root().certPem());
    }

    @AfterAll
    static void stop() {
        https.stop(0);
    }

    @Test
    void infoOnTheSimulatedBg96() {
        Cli.Result r = Cli.run("info");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("manufacturer: Quectel"), r::toString);
        assertTrue(r.out().contains("model:        BG96"), r::toString);
        assertTrue(r.out().matches("(?s).*IMEI: +\\d{15}\n.*"), r::toString);
        assertTrue(r.out().contains("SIM:          READY"), r::toString);
        assertTrue(r.out().matches("(?s).*signal: +-\\d+ dBm.*"), r::toString);
        assertTrue(r.out().contains("registration: home"), r::toString);
        assertTrue(r.out().contains("operator:     Simulated Operator"), r::toString);
        assertTrue(r.out().matches("(?s).*network time: +20\\d\\d-.*"), r::toString);
    }

    /** Every known model now has a simulator dialect (testkit registers nina-w and odin-w2); others are refused. */
    @Test
    void simulatedModelsResolveAndAnUnknownOneIsAClearError() {
        assertEquals("nina-w", ModemConnector.simulatorDialect("nina-w"));
        assertEquals("odin-w2", ModemConnector.simulatorDialect("odin-w2"));
        assertEquals("sara-r4", ModemConnector.simulatorDialect("sara-r4"));
        Cli.Result r = Cli.run("info", "--port", "sim:nokia-3310");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("unknown simulated modem 'sim:nokia-3310'"), r::toString);
        assertTrue(r.err().contains("sim:nina-w"), "the error lists what is available: " + r);
        assertFalse(r.err().contains("\tat "), "no stack trace without --trace: " + r);
    }

    @Test
    void aMissingSerialPortIsAClearError() {
        Cli.Result r = Cli.run("info", "--port", dir.resolve("no-such-tty").toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("atmodem info: "), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"info", "console", "https-get", "mqtt-publish", "simulate", "tls-check"})
    void everyCommandHasHelp(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("Usage: atmodem " + command), r::toString);
    }

    @Test
    void wrongUsageIsExitCodeTwo() {
        Cli.Result r = Cli.run("mqtt-publish", "--qos");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--qos"), r::toString);
    }

    @Test
    void httpsGetThroughTheSimulatedModem() {
        Cli.Result r = Cli.run("https-get", "https://localhost:" + TestServers.port(https) + "/hello",
                "--ca", rootPem.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(TestServers.BODY, r.out(), r::toString);
        assertTrue(r.err().contains("HTTP 200"), r::toString);
        assertTrue(r.err().contains("TLSv1.3"), r::toString);
        assertTrue(r.err().matches("(?s).*serial line: \\d+ B to the modem, \\d+ B from it.*"), r::toString);
    }

    @Test
    void httpsGetToAFile() throws Exception {
        Path out = dir.resolve("body.txt");
        Cli.Result r = Cli.run("https-get", "https://localhost:" + TestServers.port(https) + "/hello",
                "--ca", rootPem.toString(), "--out", out.toString(), "--baud", "0", "--rtt-ms", "0");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.out());
        assertEquals(TestServers.BODY, Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void tlsCheckOnAGoodServer() {
        Cli.Result r = Cli.run("tls-check", "localhost:" + TestServers.port(https), "--ca", rootPem.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains(": OK"), r::toString);
        assertTrue(r.out().contains("protocol: TLSv1.3"), r::toString);
        assertTrue(r.out().contains("CN=localhost"), r::toString);
    }

    @Test
    void tlsCheckOnAServerWithTheWrongRootSaysSoInPlainWords() {
        Cli.Result r = Cli.run("tls-check", "localhost:" + TestServers.port(https), "--ca", otherRootPem.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("FAILED"), r::toString);
        assertTrue(r.out().contains("CN=Examples Test Root") && r.out().contains("CN=Some Other Root"), r::toString);
    }

    @Test
    void tlsCheckOnAPortWhereNothingListens() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Cli.Result r = Cli.run("tls-check", "localhost:" + closed, "--baud", "0", "--rtt-ms", "0");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("cannot open a TCP connection through the modem"), r::toString);
    }

    @Test
    void consoleRunsCommandsAndKeepsHistory() {
        Cli.Result r = Cli.runWithInput("AT+CSQ\nAT+NOPE\n!1\nhistory\nquit\n", "console", "--baud", "0",
                "--rtt-ms", "0");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("+CSQ: 20,99\nOK"), r::toString);
        assertTrue(r.out().contains("ERROR"), r::toString);
        assertTrue(r.out().contains("   3  AT+CSQ"), r::toString);
    }
}
