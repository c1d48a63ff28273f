package dev.atmodem.spi;

/**
 * The result of one read command.
 *
 * @param data      the bytes read (possibly empty)
 * @param remaining how many bytes the modem still holds for the socket, or -1 when the modem does not say
 */
public record ReadChunk(byte[] data, int remaining) {

    public static final ReadChunk EMPTY = new ReadChunk(new byte[0], 0);

    /** Whether another read may return more. */
    public boolean mayHaveMore() {
        return remaining > 0 || remaining < 0 && data.length > 0;
    }
}
