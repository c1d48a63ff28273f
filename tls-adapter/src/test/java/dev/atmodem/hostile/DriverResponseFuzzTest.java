package dev.atmodem.hostile;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes each driver's response handling: a real simulator dialect behind a {@code HostileModem} whose answers to the
 * host's commands the fuzzer replaces or extends (bring-up, attach, socket open, send, read, close, and the URCs in
 * between). Findings are exceptions other than IOException, and hangs.
 *
 * <p>In the normal suite each target gets a short real run (fuzz.duration, 10 s); {@code -Pfuzz} runs 10 minutes each:
 * <pre>mvn -B -Pfuzz test-compile surefire:test@fuzz-driver-bg96 -pl tls-adapter</pre>
 * (one execution per target: {@code -Dtest} would start every fuzz execution of the module).
 * The corpus lives in {@code src/test/resources/dev/atmodem/hostile/DriverResponseFuzzTestInputs/<target>/}.
 * One target per driver family; a new driver is one more three-line method and one surefire execution.
 */
class DriverResponseFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void bg96(FuzzedDataProvider data) throws Exception {
        fuzz("bg96", data);
    }

    @FuzzTest(maxDuration = "10m")
    void sim800(FuzzedDataProvider data) throws Exception {
        fuzz("sim800", data);
    }

    @FuzzTest(maxDuration = "10m")
    void sara(FuzzedDataProvider data) throws Exception {
        fuzz(data.consumeBoolean() ? "sara-r5" : "sara-r4", data);
    }

    /** NINA-W: EDM frames instead of AT lines once the session is in data mode (see {@link HostileEdmAnswers}). */
    @FuzzTest(maxDuration = "10m")
    void nina(FuzzedDataProvider data) throws Exception {
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        HostileSession.run("nina-w", h -> h.interceptor(cmd -> {
            synchronized (data) {
                return HostileEdmAnswers.next(data);
            }
        }));
    }

    private static void fuzz(String dialect, FuzzedDataProvider data) throws Exception {
        // The simulator's sockets are real TCP connections to the echo server on 127.0.0.1, nothing else.
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        HostileSession.run(dialect, h -> h.interceptor(cmd -> {
            synchronized (data) {
                return HostileAnswers.next(data);
            }
        }));
    }
}
