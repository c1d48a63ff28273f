package dev.atmodem.testkit.expose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.link.SerialLink;
import dev.atmodem.link.SerialLinks;
import dev.atmodem.testkit.LoopbackPeer;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.sim.nina.EdmFrame;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator reached the way real programs reach a modem: a TCP "remote serial port" and a pty. */
class ExposureTest {

    @Test
    void tcpExposureServesAFreshModemPerConnection() throws Exception {
        try (TcpExposure tcp = TcpExposure.start(0, () -> ModemSimulator.builder("bg96").build())) {
            assertTrue(tcp.url().startsWith("tcp://127.0.0.1:"));
            try (RawHost host = new RawHost(SerialLinks.open(tcp.url(), 115200))) {
                host.expect("\r\nRDY\r\n");
                host.readThrough("APP RDY\r\n");
                host.command("AT+CGMM\r", "AT+CGMM\r\r\nBG96\r\n\r\nOK\r\n");
                ModemSimulator sim = tcp.awaitSimulator(5000);
                sim.faults().lateUrcInNextResponse("+QIURC: \"pdpdeact\",1");
                host.command("AT\r", "AT\r\r\n+QIURC: \"pdpdeact\",1\r\n\r\nOK\r\n");
            }
        }
    }

    /** The real serial path: jSerialComm opens the pty that socat bridges to the simulator. */
    @Test
    void ptyThroughJSerialComm(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PtyExposure.socatAvailable(), "socat is not installed (apt-get install socat)");
        Path link = dir.resolve("ttyBG96");
        try (PtyExposure pty = PtyExposure.start(link, () -> ModemSimulator.builder("bg96").baud(115200).build())) {
            assertTrue(pty.device().startsWith("/dev/pts/"), pty.device());
            SerialLink port = SerialLinks.open(pty.device(), 115200);
            try (RawHost host = new RawHost(port).timeout(Duration.ofSeconds(10))) {
                // the banner may or may not survive the port being opened; start from a known state
                host.send("ATE0\r");
                host.readThrough("ATE0\r\r\nOK\r\n");
                host.command("AT+CGMM\r", "\r\nBG96\r\n\r\nOK\r\n");
                host.command("AT+CSQ\r", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
                ModemSimulator sim = pty.tcp().awaitSimulator(5000);
                sim.faults().reboot();
                host.readThrough("\r\nRDY\r\n");
                host.expect("\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nAPP RDY\r\n");
                host.command("AT\r", "AT\r\r\nOK\r\n");
            }
        }
        assertTrue(!Files.exists(link), "the pty link is removed on close");
    }

    /** EDM packets (0xAA/0x55, CR, LF, NUL inside) through a pty and jSerialComm, byte-exact both ways. */
    @Test
    void ninaEdmThroughAPty(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PtyExposure.socatAvailable(), "socat is not installed (apt-get install socat)");
        Path link = dir.resolve("ttyNINA");
        try (PtyExposure pty = PtyExposure.start(link, () -> ModemSimulator.builder("nina-w").baud(115200).build());
                LoopbackPeer echo = LoopbackPeer.echo()) {
            SerialLink port = SerialLinks.open(pty.device(), 115200);
            try (RawHost host = new RawHost(port).timeout(Duration.ofSeconds(10))) {
                host.send("ATE0\r");
                host.readThrough("ATE0\r\r\nOK\r\n");
                host.command("AT+UWSC=0,2,\"atmodem-sim\"\r", "\r\nOK\r\n");
                host.command("AT+UWSC=0,5,2\r", "\r\nOK\r\n");
                host.command("AT+UWSC=0,8,\"atmodem-sim-pass\"\r", "\r\nOK\r\n");
                host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
                host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n\r\n+UUNU:0\r\n");
                host.command("ATO2\r", "\r\nOK\r\n");
                host.expect(EdmFrame.at(EdmFrame.START_EVENT, new byte[0]).encode());
                host.send(EdmFrame.at(EdmFrame.AT_REQUEST,
                        ("AT+UDCP=\"tcp://127.0.0.1:" + echo.port() + "/\"\r").getBytes(StandardCharsets.US_ASCII))
                        .encode());
                host.expect(EdmFrame.at(EdmFrame.AT_RESPONSE, "\r\n+UDCP:1\r\n\r\nOK\r\n".getBytes(
                        StandardCharsets.US_ASCII)).encode());
                byte[] connect = host.read(3 + 17 + 1);
                assertEquals(EdmFrame.CONNECT_EVENT, connect[4]);
                int channel = connect[5];
                byte[] head = host.read(3);
                byte[] event = host.read(((head[1] & 0x0F) << 8 | (head[2] & 0xFF)) + 1);
                assertEquals(EdmFrame.AT_EVENT, event[1]);
                assertTrue(new String(event, StandardCharsets.ISO_8859_1).startsWith("\0A\r\n+UUDPC:1,2,0,"));
                byte[] nasty = {(byte) 0xAA, 0x55, '\r', '\n', 0, 0x11, 0x13, 0x1A, (byte) 0xFF, 0x7F, 0x03};
                host.send(EdmFrame.onChannel(EdmFrame.DATA_COMMAND, channel, nasty).encode());
                host.expect(EdmFrame.onChannel(EdmFrame.DATA_EVENT, channel, nasty).encode());
            }
        }
    }

    @Test
    void mainStartsOnTcpAndPrintsWhereItIs() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AutoCloseable running = SimulatorMain.start(new String[] {"--tcp", "0", "--baud", "0",
                "--name", "api.test=127.0.0.1"}, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertTrue(running instanceof TcpExposure);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("bg96 simulator on tcp://127.0.0.1:"), printed);
            String url = printed.substring(printed.indexOf("tcp://"), printed.indexOf(','));
            try (RawHost host = new RawHost(SerialLinks.open(url, 115200))) {
                host.readThrough("APP RDY\r\n");
                host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
                host.command("AT+QIACT=1\r", "\r\nOK\r\n");
                host.command("AT+QIDNSGIP=1,\"api.test\"\r",
                        "\r\nOK\r\n\r\n+QIURC: \"dnsgip\",0,1,600\r\n\r\n+QIURC: \"dnsgip\",\"127.0.0.1\"\r\n");
            }
        }
    }

    @Test
    void mainStartsANinaWithItsAccessPoint() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AutoCloseable running = SimulatorMain.start(new String[] {"--dialect", "nina-w", "--tcp", "0", "--baud",
                "0", "--ap-ssid", "lab-net", "--ap-pass", "lab-pass-123"},
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("nina-w simulator on tcp://127.0.0.1:"), printed);
            assertTrue(!printed.contains("lab-pass-123"), "the passphrase is not printed");
            String url = printed.substring(printed.indexOf("tcp://"), printed.indexOf(','));
            try (RawHost host = new RawHost(SerialLinks.open(url, 115200))) {
                host.expect("\r\n+STARTUP\r\n");
                host.command("ATE0\r", "ATE0\r\r\nOK\r\n");
                host.command("AT+UWSC=0,2,\"lab-net\"\r", "\r\nOK\r\n");
                host.command("AT+UWSC=0,5,2\r", "\r\nOK\r\n");
                host.command("AT+UWSC=0,8,\"lab-pass-123\"\r", "\r\nOK\r\n");
                host.command("AT+UWSCA=0,3\r", "\r\nOK\r\n");
                host.expect("\r\n+UUWLE:0,FAAC838145DA,1\r\n\r\n+UUNU:0\r\n");
            }
        }
    }

    @Test
    void mainRejectsBadArguments() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.start(new String[] {}, out));
        assertThrows(IllegalArgumentException.class,
                () -> SimulatorMain.start(new String[] {"--tcp", "0", "--dialect", "nokia3310"}, out));
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.start(new String[] {"--tcp", "x"}, out));
    }
}
