package dev.atmodem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both floors of both dialects move their bytes through the simulator (every byte downloaded is checked against the
 * pattern inside the floor) and report what they cost. Costs are not judged: they belong to the full run.
 */
class CpuFloorTest {

    private static TrafficServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TrafficServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(CpuFloor.Dialect.class)
    void eachFloorMovesItsBytesAndReportsItsCost(CpuFloor.Dialect dialect) throws Exception {
        int size = 8 * 1024;
        for (CpuFloor.Mode mode : CpuFloor.Mode.values()) {
            CpuFloor.Cost c = CpuFloor.measure(server, 0, size, 0, mode, dialect);
            assertEquals(2L * size, c.payload(), mode::toString);
            assertTrue(c.cpuNanos() > 0, () -> mode + ": " + c);
            if (Files.exists(Path.of("/proc/thread-self/status"))) {
                // the one thread blocks on the line for answers; with a reader thread both threads wake for them
                assertTrue(c.switches() > 0, () -> mode + ": " + c);
            }
        }
    }
}
