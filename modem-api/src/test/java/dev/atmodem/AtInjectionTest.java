package dev.atmodem;

import dev.atmodem.testing.TestModem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Values that reach an AT command line can never inject a second command: a quote, CR, LF, ';' or control byte is
 * refused with IllegalArgumentException before a single byte is written to the link.
 */
class AtInjectionTest {

    private static final String[] EVIL = {"a\"b", "a\rb", "a\nb", "a;b", "a\u0000b", "a\u001ab", "a\u001bb",
        "a\u007fb", "a\"\r\nb", "a\";b"};

    private TestModem fake;
    private Modem modem;

    @BeforeEach
    void setUp() throws Exception {
        fake = new TestModem();
        modem = Modem.open(fake.hostLink(), ModemOptions.defaults());
    }

    @AfterEach
    void tearDown() throws Exception {
        modem.close();
        fake.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void hostNamesAreRefusedBeforeAnythingIsWritten(int i) throws Exception {
        String host = "evil" + EVIL[i] + "AT+CFUN=0";
        long before = fake.bytesFromHost.get();
        try (Socket s = modem.newSocket()) {
            assertThrows(IllegalArgumentException.class,
                    () -> s.connect(InetSocketAddress.createUnresolved(host, 80)));
        }
        assertThrows(IllegalArgumentException.class, () -> modem.socketFactory().createSocket(host, 80));
        assertThrows(IllegalArgumentException.class, () -> modem.resolve(host));
        assertEquals(before, fake.bytesFromHost.get(), "bytes reached the modem");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void apnUserPasswordSsidAndPassphraseAreRefused(int i) {
        String bad = "x" + EVIL[i] + "AT+CFUN=0";
        assertThrows(IllegalArgumentException.class, () -> ModemOptions.cellular(bad));
        assertThrows(IllegalArgumentException.class,
                () -> ModemOptions.cellular("internet").withApnCredentials(bad, "pw", ModemOptions.Auth.PAP));
        IllegalArgumentException pw = assertThrows(IllegalArgumentException.class,
                () -> ModemOptions.cellular("internet").withApnCredentials("user", bad, ModemOptions.Auth.PAP));
        assertFalse(pw.getMessage().contains("AT+CFUN"), "a password must never appear in a message");
        assertThrows(IllegalArgumentException.class, () -> ModemOptions.wifi(bad, "passphrase"));
        IllegalArgumentException pass = assertThrows(IllegalArgumentException.class,
                () -> ModemOptions.wifi("ssid", bad));
        assertFalse(pass.getMessage().contains("AT+CFUN"), "a passphrase must never appear in a message");
        IllegalArgumentException pin = assertThrows(IllegalArgumentException.class,
                () -> ModemOptions.defaults().withPin("12" + EVIL[i] + "34"));
        assertFalse(pin.getMessage().contains("12"), "a PIN must never appear in a message");
    }
}
