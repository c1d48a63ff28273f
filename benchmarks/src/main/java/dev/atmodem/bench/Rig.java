package dev.atmodem.bench;

import dev.atmodem.Modem;
import dev.atmodem.testkit.sim.ModemSimulator;
import dev.atmodem.testkit.sim.Stats;
import java.io.IOException;

/**
 * One simulated modem (testkit dialect, paced at {@code baud}, network round trip {@code rtt}) opened by its real
 * driver over an in-memory serial link: everything a benchmark drives. The simulator's {@link Stats} count the bytes on
 * the serial line each way.
 */
public final class Rig implements AutoCloseable {

    private final BenchModem target;
    private final int baud;
    private final ModemSimulator sim;
    private final Modem modem;

    private Rig(BenchModem target, int baud, ModemSimulator sim, Modem modem) {
        this.target = target;
        this.baud = baud;
        this.sim = sim;
        this.modem = modem;
    }

    public static Rig open(BenchModem target, int baud, int rttMillis) throws IOException {
        ModemSimulator sim = ModemSimulator.builder(target.simulatorDialect()).baud(baud).rttMillis(rttMillis)
                .pin(BenchModem.SIM_PIN).build();
        try {
            Modem modem = Modem.open(sim.connectPipe(), target.options().get());
            return new Rig(target, baud, sim, modem);
        } catch (IOException | RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    public Modem modem() {
        return modem;
    }

    public ModemSimulator sim() {
        return sim;
    }

    public BenchModem target() {
        return target;
    }

    public int baud() {
        return baud;
    }

    /** The line's limit each way: baud/10 bytes per second (8N1). */
    public double lineBytesPerSecond() {
        return baud / 10.0;
    }

    /** A snapshot of the serial byte counters. */
    public Line line() {
        Stats s = sim.stats();
        return new Line(s.bytesFromHost(), s.bytesToHost());
    }

    /** Serial bytes host to modem ({@code up}) and modem to host ({@code down}). */
    public record Line(long up, long down) {
        public Line minus(Line before) {
            return new Line(up - before.up, down - before.down);
        }

        public long total() {
            return up + down;
        }
    }

    @Override
    public void close() {
        try {
            modem.close();
        } finally {
            sim.close();
        }
    }
}
