package dev.atmodem.driver.sim800;

import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemIdentity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recognition and the capability rows. */
class Sim800ModelsTest {

    private static ModelCapabilities recognise(String cgmi, String cgmm, String... ati) {
        return new Sim800Driver().recognize(new ModemIdentity(cgmi, cgmm, "Revision:1418B04SIM800L24", List.of(ati)))
                .orElseThrow(() -> new AssertionError("not recognised: " + cgmi + " / " + cgmm));
    }

    @Test
    void recognisesTheFamilyFromCgmmOrAti() {
        assertEquals("SIM800L", recognise("SIMCOM_Ltd", "SIMCOM_SIM800L").model());
        assertEquals("SIM800", recognise("SIMCOM_Ltd", "", "SIM800 R14.18").model());
        assertEquals("SIM800C", recognise("SIMCOM_Ltd", "SIM800C").model());
        assertEquals("SIM808", recognise("SIMCOM_Ltd", "SIMCOM_SIM808", "SIM808 R14.18").model());
    }

    @Test
    void sim800ModelsHaveSixConnectionsAndSim900Eight() {
        for (String m : List.of("SIM800", "SIM800C", "SIM800L", "SIM808")) {
            ModelCapabilities c = recognise("SIMCOM_Ltd", m);
            assertEquals(6, c.maxSockets(), m);
            assertEquals(1460, c.maxSendChunk(), m);
            assertEquals(1460, c.maxReadChunk(), m);
            assertTrue(c.dns() && c.networkTime(), m);
        }
        assertEquals(8, recognise("SIMCOM_Ltd", "SIMCOM_SIM900").maxSockets());
    }

    @Test
    void leavesOtherModemsAlone() {
        assertTrue(new Sim800Driver().recognize(new ModemIdentity("Quectel", "BG96", "BG96MAR02A07M1G",
                List.of("Quectel", "BG96", "Revision: BG96MAR02A07M1G"))).isEmpty());
        assertTrue(new Sim800Driver().recognize(new ModemIdentity("", "", "", List.of())).isEmpty());
    }
}
