package dev.atmodem.testkit.sim;

/**
 * How the simulated serial line and network behave. All randomness derives from {@link #seed()}, so a failing run can
 * be reproduced exactly.
 *
 * @param baud          serial line rate in both directions; 0 = unpaced (as fast as memory)
 * @param fragmentMin   smallest piece the modem's output is cut into (only when {@code fragmentMax > 0})
 * @param fragmentMax   largest piece; 0 = no fragmentation (output goes out in the pieces it was produced in)
 * @param rttMillis     network round trip, applied to TCP connect, DNS and data delivery (half each way)
 * @param seed          seeds fragmentation and garbage bytes
 */
public record LinkConditions(int baud, int fragmentMin, int fragmentMax, int rttMillis, long seed) {

    public LinkConditions {
        if (baud < 0 || rttMillis < 0) {
            throw new IllegalArgumentException("baud and rttMillis must not be negative");
        }
        if (fragmentMax > 0 && (fragmentMin < 1 || fragmentMin > fragmentMax)) {
            throw new IllegalArgumentException("fragment sizes need 1 <= min <= max, got " + fragmentMin + ".."
                    + fragmentMax);
        }
    }

    /** No pacing, no fragmentation, no latency: the fastest, for exact-bytes unit tests. */
    public static LinkConditions ideal() {
        return new LinkConditions(0, 0, 0, 0, 1);
    }

    public LinkConditions withBaud(int b) {
        return new LinkConditions(b, fragmentMin, fragmentMax, rttMillis, seed);
    }

    public LinkConditions withFragmentation(int min, int max) {
        return new LinkConditions(baud, min, max, rttMillis, seed);
    }

    public LinkConditions withRttMillis(int rtt) {
        return new LinkConditions(baud, fragmentMin, fragmentMax, rtt, seed);
    }

    public LinkConditions withSeed(long s) {
        return new LinkConditions(baud, fragmentMin, fragmentMax, rttMillis, s);
    }

    /** One-way network delay. */
    public long halfRttMillis() {
        return rttMillis / 2;
    }
}
