package dev.atmodem.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's run command, in-process: the embedded demo end to end. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MqttPublishDemoTest {

    @Test
    void theEmbeddedDefaultPublishesOverTls13AndTheSubscriberReceives() {
        Cli.Result r = Cli.run("mqtt-publish");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("[1/1] published 18 B to atmodem/demo (QoS 1)"), r::toString);
        assertTrue(r.out().contains("the subscriber received it"), r::toString);
        assertTrue(r.out().contains("summary: 1 of 1 message(s) published through the simulated modem,"
                + " 1 received by the subscriber on the broker"), r::toString);
        assertTrue(r.out().contains("TLS handshake: TLSv1.3"), r::toString);
        assertTrue(r.out().matches("(?s).*serial line: [1-9]\\d* B to the modem, [1-9]\\d* B from it.*"), r::toString);
    }

    /**
     * The same demo through every other simulated modem family (the simulated line keeps its default pacing); the
     * NINA-W joins the simulated access point with its default SSID and passphrase, none given on the command line.
     */
    @ParameterizedTest(name = "sim:{0}")
    @ValueSource(strings = {"sim800", "sara-r4", "sara-r5", "nina-w"})
    void theDemoThroughEachSimulatedModem(String dialect) {
        Cli.Result r = Cli.run("mqtt-publish", "--port", "sim:" + dialect);
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("on sim:" + dialect + " (simulated " + dialect), r::toString);
        assertTrue(r.out().contains("summary: 1 of 1 message(s) published through the simulated modem,"
                + " 1 received by the subscriber on the broker"), r::toString);
        assertTrue(r.out().contains("TLS handshake: TLSv1.3"), r::toString);
    }

    @Test
    void severalMessagesAtQos2() {
        Cli.Result r = Cli.run("mqtt-publish", "--count", "3", "--interval", "10", "--qos", "2", "--message", "m",
                "--baud", "0", "--rtt-ms", "0");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("[3/3] published 4 B to atmodem/demo (QoS 2)"), r::toString);
        assertTrue(r.out().contains("3 received by the subscriber"), r::toString);
    }

    @Test
    void noEmbeddedBrokerForARealModem() {
        Cli.Result r = Cli.run("mqtt-publish", "--port", "/dev/ttyUSB-nothing");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("give --broker mqtts://HOST:PORT"), r::toString);
    }
}
