package dev.atmodem.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atmodem.link.SerialLink;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.sim.ModemSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@SimulatedModem(dialect = "bg96", baud = 0, names = "api.test=127.0.0.9")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulatedModemExtensionTest {

    private static ModemSimulator previous;
    private static SerialLink previousLink;

    @Test
    @Order(1)
    void injectsARunningSimulatorAndItsLink(ModemSimulator sim, SerialLink link, RawHost host) throws Exception {
        assertSame(link, host.link());
        assertEquals("bg96", sim.dialectName());
        assertEquals(0, sim.conditions().baud());
        assertTrue(sim.names().resolve("api.test").orElseThrow().contains("127.0.0.9"));
        host.readThrough("APP RDY\r\n");
        host.command("AT+CGMM\r", "AT+CGMM\r\r\nBG96\r\n\r\nOK\r\n");
        sim.faults().cmeErrorOnNext("AT\\+CSQ", 30);
        host.command("AT+CSQ\r", "AT+CSQ\r\r\n+CME ERROR: 30\r\n");
        previous = sim;
        previousLink = link;
    }

    @Test
    @Order(2)
    @SimulatedModem(dialect = "bg96", baud = 115200, rttMillis = 100, pin = "1111")
    void methodAnnotationWinsAndEachTestGetsAFreshModem(ModemSimulator sim, RawHost host) throws Exception {
        assertTrue(previous.isClosed(), "the previous test's simulator was closed");
        assertFalse(previousLink.isOpen());
        assertEquals(115200, sim.conditions().baud());
        assertEquals(100, sim.conditions().rttMillis());
        host.readThrough("+CPIN: SIM PIN\r\n");
    }

    @AfterAll
    static void clear() {
        previous = null;
        previousLink = null;
    }
}
