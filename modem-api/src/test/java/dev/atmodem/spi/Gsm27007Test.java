package dev.atmodem.spi;

import dev.atmodem.SignalQuality;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class Gsm27007Test {

    @Test
    void clockFormatsOfTheFamiliesParseToTheSameInstant() {
        Instant t = Instant.parse("2026-11-22T04:10:00Z");
        // 3GPP CCLK: two-digit year, local time with the zone in quarter hours (+04 = UTC+1)
        assertEquals(Optional.of(t), Gsm27007.parseClock("\"26/11/22,05:10:00+04\""));
        // Quectel QLTS: four-digit year and a DST flag
        assertEquals(Optional.of(t), Gsm27007.parseClock("\"2026/11/22,05:10:00+04,0\""));
        assertEquals(Optional.of(t), Gsm27007.parseClock("\"2026/11/22,03:10:00-04,0\""));
        assertEquals(Optional.of(t), Gsm27007.parseClock("26/11/22,04:10:00"));
    }

    @Test
    void anUnsetOrEmptyClockIsEmpty() {
        assertEquals(Optional.empty(), Gsm27007.parseClock("\"04/01/01,00:00:00+00\""), "firmware epoch");
        assertEquals(Optional.empty(), Gsm27007.parseClock("\"\""));
        assertEquals(Optional.empty(), Gsm27007.parseClock(null));
        assertEquals(Optional.empty(), Gsm27007.parseClock("\"26/13/40,99:99:99+00\""), "impossible date");
    }

    @Test
    void signalInDbm() {
        assertEquals(-113, new SignalQuality(0, 99).dbm());
        assertEquals(-73, new SignalQuality(20, 99).dbm());
        assertEquals(-51, new SignalQuality(31, 0).dbm());
        assertNull(new SignalQuality(99, 99).dbm());
    }
}
