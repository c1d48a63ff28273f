package dev.atmodem.bench;

import dev.atmodem.at.AtParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** JMH: the AT parser fed {@link ParserMix} in 4 KiB reads, as the reader thread feeds it. One operation = the mix. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParserBenchmark {

    static final int MIX_SIZE = 256 * 1024;
    static final int READ = 4096;

    private byte[] mix;
    private AtParser parser;
    private long lines;
    private long payloadBytes;

    @Setup
    public void setUp() {
        mix = ParserMix.build(MIX_SIZE, 9);
        parser = ParserMix.parser(new AtParser.Listener() {
            @Override
            public void line(String line, byte[] payload) {
                lines++;
                if (payload != null) {
                    payloadBytes += payload.length;
                }
            }

            @Override
            public void prompt(char prompt) {
                lines++;
            }

            @Override
            public void malformed(String description) {
                throw new IllegalStateException("the parser mix is malformed: " + description);
            }
        });
    }

    @Benchmark
    public void parseMix(Blackhole bh) {
        for (int off = 0; off < mix.length; off += READ) {
            parser.feed(mix, off, Math.min(READ, mix.length - off));
        }
        bh.consume(lines);
        bh.consume(payloadBytes);
    }

    /** The mix's size in bytes (one operation), for converting operations per second into MB/s. */
    static int mixLength() {
        return ParserMix.build(MIX_SIZE, 9).length;
    }
}
