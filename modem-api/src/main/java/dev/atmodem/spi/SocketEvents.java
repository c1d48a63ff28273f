package dev.atmodem.spi;

/**
 * What a driver reports to the shared socket engine when the modem's URCs say something happened to a socket or to
 * the whole modem. Called from URC handlers, on the event thread.
 */
public interface SocketEvents {

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
