package dev.atmodem.driver.sim800;

import dev.atmodem.ModemException;
import dev.atmodem.ModemOptions;
import dev.atmodem.at.AtEngine;
import dev.atmodem.at.Cancellation;
import dev.atmodem.link.PipeLink;
import dev.atmodem.spi.DriverContext;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.ModemIdentity;
import dev.atmodem.spi.ReadChunk;
import dev.atmodem.spi.SocketEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session against exact byte streams from AT-REFERENCE §2 and QUIRKS, including shapes the simulator does not
 * produce: a stack left attached by an earlier program, {@code OK} after read data with only a line feed, a data-ready
 * URC inside a read's answer, {@code ALREADY CONNECT}, a smaller {@code AT+CIPSEND?} size, partial quick sends.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Sim800ScriptedTest {

    private static final Pattern SEND = Pattern.compile("AT\\+CIPSEND=(\\d+),(\\d+)");

    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream payloads = new ByteArrayOutputStream();
    private AtEngine at;
    private Thread modem;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (at != null) {
            at.close();
        }
        if (modem != null) {
            modem.join(2000);
        }
    }

    /**
     * Starts a scripted modem that answers each command line with {@code script.apply(line)} (bytes as written, or
     * null for silence) and a session bound to it. Payload after {@code AT+CIPSEND=n,len} is read after the prompt.
     */
    private DriverSession session(ModemOptions options, Function<String, String> script) throws IOException {
        PipeLink.Pair pair = PipeLink.pair("scripted");
        modem = new Thread(() -> serve(pair.modem(), script), "scripted-modem");
        modem.setDaemon(true);
        modem.start();
        at = new AtEngine(pair.host(), AtEngine.Settings.defaults()).start();
        SocketEvents recorder = new SocketEvents() {
            @Override
            public void dataReady(int id) {
                events.add("dataReady " + id);
            }

            @Override
            public void dataPushed(int id, byte[] data) {
                events.add("dataPushed " + id + " " + new String(data, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void remoteClosed(int id) {
                events.add("remoteClosed " + id);
            }

            @Override
            public void bearerLost(String why) {
                events.add("bearerLost " + why);
            }

            @Override
            public void rebooted(String why) {
                events.add("rebooted " + why);
            }
        };
        return new Sim800Driver().create(new DriverContext(at, new ModemIdentity("SIMCOM_Ltd", "SIMCOM_SIM800L", "",
                List.of("SIM800 R14.18")), Sim800Models.row("SIM800L"), options, recorder));
    }

    private void serve(PipeLink link, Function<String, String> script) {
        try (InputStream in = link.input(); OutputStream out = link.output()) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    continue;
                }
                if (b != '\r') {
                    line.append((char) b);
                    continue;
                }
                String cmd = line.toString();
                line.setLength(0);
                commands.add(cmd);
                Matcher m = SEND.matcher(cmd);
                if (m.matches()) {
                    out.write("> ".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    byte[] data = in.readNBytes(Integer.parseInt(m.group(2)));
                    synchronized (payloads) {
                        payloads.writeBytes(data);
                    }
                }
                String answer = script.apply(cmd);
                if (answer != null) {
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the host closed the link: the scripted modem ends with it
            commands.add("<link closed: " + e.getMessage() + ">");
        }
    }

    /** Answers for an attach from a fresh modem; {@code state} is what AT+CIPSTATUS reports. */
    private static String attachAnswers(String cmd, String state) {
        return switch (cmd) {
            case "AT+CIPSTATUS" -> "\r\nOK\r\n\r\nSTATE: " + state + "\r\n";
            case "AT+CIPSHUT" -> "\r\nSHUT OK\r\n";
            case "AT+CIFSR" -> "\r\n10.1.2.3\r\n";
            default -> "\r\nOK\r\n";
        };
    }

    private static final ModemOptions OPTIONS = ModemOptions.cellular("internet")
            .withApnCredentials("user", "pw", ModemOptions.Auth.NONE);

    @Test
    void attachResetsAStackLeftAttachedAndTakesTheBareIpAsTheAnswer() throws Exception {
        Sim800Session s = (Sim800Session) session(OPTIONS, cmd -> attachAnswers(cmd, "IP PROCESSING"));
        s.attach();
        assertEquals("10.1.2.3", s.localIp());
        assertEquals(List.of("AT+CGATT=1", "AT+CIPSTATUS", "AT+CIPSHUT", "AT+CIPMUX=1", "AT+CIPQSEND=1",
                "AT+CIPRXGET=1", "AT+CSTT=\"internet\",\"user\",\"pw\"", "AT+CIICR", "AT+CIFSR"), commands);
    }

    @Test
    void aFreshStackIsNotShutAndPushModeAndSendOkModeAreChosen() throws Exception {
        Sim800Session s = (Sim800Session) session(OPTIONS.withDriverOption("sim800.receive", "push")
                .withDriverOption("sim800.quickSend", "false"), cmd -> attachAnswers(cmd, "IP INITIAL"));
        s.attach();
        assertTrue(!commands.contains("AT+CIPSHUT") && commands.contains("AT+CIPRXGET=0")
                && commands.contains("AT+CIPQSEND=0"), commands.toString());
    }

    @Test
    void readTakesTheAnnouncedBytesWhateverFollowsThem() throws Exception {
        DriverSession s = session(OPTIONS, cmd -> cmd.equals("AT+CIPRXGET=2,0,1460")
                // a data-ready URC inside the answer, CR LF inside the data, OK after only a line feed (QUIRKS 4, 11)
                ? "\r\n+CIPRXGET: 1,0\r\n\r\n+CIPRXGET: 2,0,5,3\r\nab\r\nc\nOK\r\n" : "\r\nOK\r\n");
        ReadChunk c = s.read(0, 4096);
        assertArrayEquals("ab\r\nc".getBytes(StandardCharsets.ISO_8859_1), c.data());
        assertEquals(3, c.remaining(), "<left> is what stays on the modem");
        awaitEvent("dataReady 0");
    }

    @Test
    void alreadyConnectClosesTheIdAndTriesAgainAndTheSendSizeComesFromCipsendQuery() throws Exception {
        int[] starts = {0};
        DriverSession s = session(OPTIONS.withDriverOption("sim800.quickSend", "false"), cmd -> {
            if (cmd.startsWith("AT+CIPSTART=0,")) {
                return starts[0]++ == 0 ? "\r\nOK\r\n\r\n0, ALREADY CONNECT\r\n" : "\r\nOK\r\n\r\n0, CONNECT OK\r\n";
            }
            return switch (cmd) {
                case "AT+CIPCLOSE=0,1" -> "\r\n0, CLOSE OK\r\n";
                case "AT+CIPSEND?" -> "\r\n+CIPSEND: 0,1000\r\n+CIPSEND: 1,0\r\n\r\nOK\r\n";
                case "AT+CIPSEND=0,1000" -> "\r\n0, SEND OK\r\n";
                default -> "\r\nOK\r\n";
            };
        });
        assertEquals(0, s.openTcp("example.com", 80, Duration.ofSeconds(10), Cancellation.NONE));
        assertEquals(List.of("AT+CIPSTART=0,\"TCP\",\"example.com\",80", "AT+CIPCLOSE=0,1",
                "AT+CIPSTART=0,\"TCP\",\"example.com\",80", "AT+CIPSEND?"), commands);
        byte[] data = new byte[1460];
        assertEquals(1000, s.send(0, data, 0, data.length, Cancellation.NONE), "at most what AT+CIPSEND? allows");
    }

    @Test
    void connectFailNamesHostAndPortAndFreesTheId() throws Exception {
        DriverSession s = session(OPTIONS, cmd -> cmd.startsWith("AT+CIPSTART=")
                ? "\r\nOK\r\n\r\n" + cmd.charAt(12) + ", CONNECT FAIL\r\n" : "\r\nOK\r\n");
        ModemException e = assertThrows(ModemException.class,
                () -> s.openTcp("example.com", 8883, Duration.ofSeconds(10), Cancellation.NONE));
        assertTrue(e.getMessage().contains("example.com:8883") && e.getMessage().contains("CONNECT FAIL"),
                e.getMessage());
        assertThrows(ModemException.class,
                () -> s.openTcp("example.com", 8883, Duration.ofSeconds(10), Cancellation.NONE));
        assertEquals(2, commands.stream().filter(c -> c.startsWith("AT+CIPSTART=0,")).count(), "id 0 was reused");
    }

    @Test
    void quickSendReturnsWhatTheModemAcceptedAndSendFailMeansTryAgain() throws Exception {
        int[] sends = {0};
        DriverSession s = session(OPTIONS, cmd -> {   // quick send is the default
            if (cmd.startsWith("AT+CIPSEND=2,")) {
                return sends[0]++ == 0 ? "\r\nDATA ACCEPT:2,7\r\n" : "\r\n2, SEND FAIL\r\n";
            }
            return "\r\nOK\r\n";
        });
        byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(7, s.send(2, data, 0, data.length, Cancellation.NONE));
        assertEquals(0, s.send(2, data, 7, 3, Cancellation.NONE));
        synchronized (payloads) {
            assertEquals("0123456789" + "789", payloads.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void urcsBecomeSocketAndModemEventsOnceTheModemIsUp() throws Exception {
        Sim800Session s = (Sim800Session) session(OPTIONS, cmd -> switch (cmd) {
            case "AT+CGATT=1" -> "\r\nOK\r\n\r\n+RECEIVE,1,4:\r\nx\r\ny\r\n";
            case "AT" -> "\r\n3, CLOSED\r\n\r\n+PDP: DEACT\r\n\r\nRDY\r\n\r\nOK\r\n";
            default -> attachAnswers(cmd, "IP INITIAL");
        });
        s.attach();
        at.execute("AT"); // the URCs arrive inside this command's answer, after the attach made the modem live
        awaitEvent("rebooted RDY");
        assertEquals(List.of("dataPushed 1 x\r\ny", "remoteClosed 3", "bearerLost +PDP: DEACT", "rebooted RDY"),
                events);
    }

    @Test
    void dnsAnswersWithAllAddressesOrSaysWhyNot() throws Exception {
        DriverSession s = session(OPTIONS, cmd -> switch (cmd) {
            case "AT+CDNSGIP=\"two.example\"" -> "\r\nOK\r\n\r\n+CDNSGIP: 1,\"two.example\",\"192.0.2.1\",\"192.0.2.2\"\r\n";
            case "AT+CDNSGIP=\"none.example\"" -> "\r\nOK\r\n\r\n+CDNSGIP: 0,8\r\n";
            default -> "\r\nOK\r\n";
        });
        List<InetAddress> a = s.resolve("two.example");
        assertEquals(List.of("192.0.2.1", "192.0.2.2"), a.stream().map(InetAddress::getHostAddress).toList());
        ModemException e = assertThrows(ModemException.class, () -> s.resolve("none.example"));
        assertTrue(e.getMessage().contains("none.example") && e.getMessage().contains("SIMCom DNS error 8"),
                e.getMessage());
        assertEquals("192.0.2.9", s.resolve("192.0.2.9").get(0).getHostAddress());
        assertEquals(2, commands.size(), "an IP literal needs no lookup");
    }

    @Test
    void aTimeoutOverriddenByNameIsTheOneUsed() throws Exception {
        DriverSession s = session(OPTIONS.withTimeout("CIPRXGET", Duration.ofMillis(300)),
                cmd -> cmd.startsWith("AT+CIPRXGET=2,") ? null : "\r\nOK\r\n"); // a read the modem never answers
        long t0 = System.nanoTime();
        ModemException e = assertThrows(ModemException.class, () -> s.read(0, 100));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(e.getMessage().contains("AT+CIPRXGET=2,0,100") && e.getMessage().contains("within 300 ms"),
                e.getMessage());
        assertTrue(ms < 3000, "gave up after " + ms + " ms");
    }

    private void awaitEvent(String e) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!events.contains(e) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertTrue(events.contains(e), e + " in " + events);
    }
}
