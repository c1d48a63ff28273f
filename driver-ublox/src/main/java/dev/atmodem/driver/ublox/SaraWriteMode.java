package dev.atmodem.driver.ublox;

import java.time.Duration;
import java.util.Locale;

/**
 * How socket data crosses the serial line (driver option {@code ublox.write}, AT-REFERENCE §3B/§3C).
 *
 * <ul>
 *   <li>{@link #BINARY}: {@code AT+USOWR=<s>,<n>}, the {@code @} prompt, a pause (50 ms by the manual), then up to
 *       1024 raw bytes; {@code AT+USORD} returns raw bytes. The pause dominates on a fast line.</li>
 *   <li>{@link #HEX}: HEX mode ({@code AT+UDCONF=1,1}): {@code AT+USOWR=<s>,<n>,"<2n hex digits>"} inline with no
 *       prompt, up to 512 bytes, and {@code AT+USORD} returns hex. Twice the characters per byte, but no pause.</li>
 * </ul>
 *
 * <p>{@code auto} picks, at open time, the mode with the better estimated upload ratio (payload bytes per second over
 * baud/10) at the configured baud rate ({@code ModemOptions.withBaud}). With B = baud/10 bytes per second, a
 * binary chunk moves 1024 bytes in (1024 + {@value #BINARY_OVERHEAD} line bytes)/B + pause, a hex chunk 512 bytes in
 * (1024 + {@value #HEX_OVERHEAD})/B. With the 50 ms pause the crossover is near 213 000 baud: binary at 115200
 * (about 0.62 against 0.48), hex from 230400 up (0.48 against 0.46 at 230400, 0.18 at 921600). The rule weighs
 * uploads only: HEX mode also halves downloads (reads come back as hex), which binary mode moves at near line rate.
 */
enum SaraWriteMode {
    BINARY,
    HEX;

    /** Line bytes per binary chunk besides the payload: "AT+USOWR=0,1024\r", the prompt, "+USOWR: 0,1024" and OK. */
    static final int BINARY_OVERHEAD = 45;
    /** Line bytes per hex chunk besides the 2n digits: "AT+USOWR=0,512,\"", "\"\r", "+USOWR: 0,512" and OK. */
    static final int HEX_OVERHEAD = 42;
    /** Most bytes per hex-mode AT+USOWR and AT+USORD (§3B, §3C). */
    static final int HEX_CHUNK = 512;

    /**
     * The mode for the option's value: {@code binary}, {@code hex}, or {@code auto} (decided by {@link #best}).
     *
     * @throws IllegalArgumentException for any other value
     */
    static SaraWriteMode parse(String value, int baud, Duration promptPause) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "binary" -> BINARY;
            case "hex" -> HEX;
            case "auto" -> best(baud, promptPause);
            default -> throw new IllegalArgumentException("ublox.write must be 'binary', 'hex' or 'auto', not '"
                    + value + "'");
        };
    }

    /** The mode with the better estimated upload ratio at {@code baud} (see the class comment). */
    static SaraWriteMode best(int baud, Duration promptPause) {
        return hexRatio() > binaryRatio(baud, promptPause) ? HEX : BINARY;
    }

    /** Estimated binary upload ratio: 1024 payload bytes per (1024 + overhead line bytes + the pause at the line rate). */
    static double binaryRatio(int baud, Duration promptPause) {
        double bytesPerSecond = baud / 10.0;
        double seconds = (SaraModels.MAX_SEND + BINARY_OVERHEAD) / bytesPerSecond + promptPause.toNanos() / 1e9;
        return SaraModels.MAX_SEND / (seconds * bytesPerSecond);
    }

    /** Estimated hex upload ratio: n / (2n + overhead) for full chunks, whatever the rate. */
    static double hexRatio() {
        return HEX_CHUNK / (double) (2 * HEX_CHUNK + HEX_OVERHEAD);
    }
}
