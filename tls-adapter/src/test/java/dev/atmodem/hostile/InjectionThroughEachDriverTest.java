package dev.atmodem.hostile;

import dev.atmodem.Modem;
import dev.atmodem.ModemOptions;
import dev.atmodem.testkit.hostile.HostileModem;
import dev.atmodem.testkit.hostile.HostileModem.Reaction;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AT injection through the public API of every driver: a host name given to a socket connect, the socket factory or
 * the modem's DNS, and every driver option, each carrying a character that could end its argument or its command
 * followed by a second command. Each is refused with IllegalArgumentException, and the second command never reaches
 * the modem (every command line the modem received is recorded). The option values (APN, user, password, PIN, SSID,
 * passphrase) are refused when the options are built: modem-api's {@code AtInjectionTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InjectionThroughEachDriverTest {

    /** What an attacker appends: a second command that would switch the radio off. */
    private static final String SECOND = "AT+CFUN=0";
    /** Ways to break out of an argument or a command line. */
    private static final List<String> BREAKOUTS = List.of("\"", "\r", "\n", "\r\n", ";", "\"\r", "\";", "\u0000",
            "\u001a", "\u001b", "\u007f", "\",\"", " ", ",", "\"+");

    static Stream<Arguments> driversAndBreakouts() {
        return DriverCase.ALL.stream().flatMap(d -> BREAKOUTS.stream().map(b -> Arguments.of(d, b)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("driversAndBreakouts")
    void hostNamesNeverReachTheModem(DriverCase d, String breakout) throws Exception {
        String host = "example.com" + breakout + SECOND;
        try (ModemSimulator sim = ModemSimulator.builder(d.dialect()).seed(2).build();
             HostileModem wire = HostileModem.over(sim)) {
            List<String> sent = record(wire);
            try (Modem modem = Modem.open(wire.hostLink(), d.baseOptions()
                    .withPolling(Duration.ofMillis(100), Duration.ofMillis(500)))) {
                assertEquals(d.driver(), modem.driverName());
                try (Socket s = modem.newSocket()) {
                    assertThrows(IllegalArgumentException.class,
                            () -> s.connect(InetSocketAddress.createUnresolved(host, 80), 5000));
                }
                assertThrows(IllegalArgumentException.class, () -> modem.socketFactory().createSocket(host, 80));
                assertThrows(IllegalArgumentException.class, () -> modem.resolve(host));
                assertTrue(modem.execute("AT").finalLine().equals("OK"), "the modem stopped answering");
            }
            assertTrue(sent.size() > 3, "the recorder saw no bring-up: " + sent);
            assertNotOnTheWire(sent);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("driversAndBreakouts")
    void driverOptionsNeverReachTheModem(DriverCase d, String breakout) throws Exception {
        for (String key : d.optionKeys()) {
            try (ModemSimulator sim = ModemSimulator.builder(d.dialect()).seed(2).build();
                 HostileModem wire = HostileModem.over(sim)) {
                List<String> sent = record(wire);
                ModemOptions o = d.baseOptions().withDriver(d.driver())
                        .withDriverOption(key, "1" + breakout + SECOND);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Modem.open(wire.hostLink(), o).close(), key);
                assertTrue(e.getMessage().contains(key), e.getMessage());
                assertNotOnTheWire(sent);
            }
        }
    }

    private static List<String> record(HostileModem wire) {
        List<String> sent = new CopyOnWriteArrayList<>();
        wire.interceptor(line -> {
            sent.add(line);
            return Reaction.PASS;
        });
        return sent;
    }

    private static void assertNotOnTheWire(List<String> sent) {
        for (String line : sent) {
            assertFalse(line.toUpperCase().contains("CFUN=0"), "an injected command reached the modem: " + line);
        }
    }
}
