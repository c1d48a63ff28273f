package dev.atmodem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionTest {

    @Test
    void theBuildStampsTheVersion() {
        assertTrue(Modem.version().matches("\\d+\\.\\d+\\.\\d+.*"), Modem.version());
    }
}
