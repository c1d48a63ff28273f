package dev.atmodem.spi;

/**
 * What a driver reports to the shared socket engine when the modem's URCs say something happened to a socket or to
 * the whole modem. Register the per-socket ones ({@link #dataReady}, {@link #dataPushed}, {@link #remoteClosed}) with
 * {@link dev.atmodem.at.AtEngine#onUrcRecord} so they keep their exact order with the answers to close commands (an
 * event for a closed connection must never reach the next connection on the same id); the modem-wide ones
 * ({@link #bearerLost}, {@link #rebooted}) with {@code onUrc}, on the event thread.
 */
public interface SocketEvents {

    /**
     * Whether a host-chosen socket id may be used for a new connection now. False while the engine is still closing
     * it; drivers that choose ids themselves skip such ids.
     */
    default boolean mayReuse(int id) {
        return true;
    }

    /** The modem holds unread data for socket {@code id} (buffer-access mode: {@code +QIURC: "recv",0}). */
    void dataReady(int id);

    /** The modem pushed data for socket {@code id} inside the URC itself (direct-push mode, {@code +RECEIVE}). */
    void dataPushed(int id, byte[] data);

    /** The peer or the network closed socket {@code id}; data already buffered on the modem may still be read. */
    void remoteClosed(int id);

    /** The data connection (PDP context, Wi-Fi link) dropped; every socket on it is dead. */
    void bearerLost(String why);

    /** The modem restarted; every socket and the data context are gone. */
    void rebooted(String why);
}
