package dev.atmodem.link;

import java.time.Duration;
import java.util.Objects;

/**
 * How to open a physical serial port: 8N1 framing always, the baud rate, RTS/CTS flow control, and the deadline after
 * which a stalled write is declared dead (jSerialComm ignores write timeouts on Linux, so a watchdog enforces it).
 */
public record SerialOptions(int baud, boolean rtsCts, Duration writeStallTimeout) {

    public static final int DEFAULT_BAUD = 115_200;

    public SerialOptions {
        if (baud <= 0) {
            throw new IllegalArgumentException("baud rate must be positive: " + baud);
        }
        Objects.requireNonNull(writeStallTimeout, "writeStallTimeout");
        if (writeStallTimeout.isNegative() || writeStallTimeout.isZero()) {
            throw new IllegalArgumentException("writeStallTimeout must be positive");
        }
    }

    public static SerialOptions of(int baud) {
        return new SerialOptions(baud, false, Duration.ofSeconds(10));
    }

    public SerialOptions withRtsCts(boolean on) {
        return new SerialOptions(baud, on, writeStallTimeout);
    }

    public SerialOptions withWriteStallTimeout(Duration timeout) {
        return new SerialOptions(baud, rtsCts, timeout);
    }

    /** The physical limit of the line in one direction with 8N1 framing: ten bits on the wire per byte. */
    public int bytesPerSecond() {
        return baud / 10;
    }
}
