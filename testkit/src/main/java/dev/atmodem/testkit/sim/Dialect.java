package dev.atmodem.testkit.sim;

/**
 * One modem family's behaviour on top of the dialect-independent framework (command reading, echo, CMEE formatting,
 * pacing, fragmentation, faults, statistics, network sockets, name table). A dialect is data plus handlers; it is
 * written from the manuals and real logs (shared/AT-REFERENCE.md, shared/QUIRKS.md), never from driver code.
 *
 * <p>Threading: every method except {@link #name()} is called with the simulator lock held ({@link ModemContext#lock()}),
 * so a dialect needs no locking of its own. Callbacks it schedules through {@link ModemContext} run under the lock
 * too. It must never block while holding the lock.
 */
public interface Dialect {

    /** The name used to pick this dialect, e.g. {@code bg96}. */
    String name();

    /** Called once, before anything else. */
    void bind(ModemContext ctx);

    /** The modem powers up: emit the banner URCs (and schedule late ones). Echo is already on. */
    void powerOn();

    /** The modem loses power (reboot or simulator close): drop every socket, context and setting. */
    void powerOff();

    /** Answers one command line. Throw {@link AtCommand.BadCommandException} for a malformed one. */
    void handle(AtCommand command, Reply reply);

    /** The {@code AT+CMEE} mode after power-on. */
    int defaultCmeeMode();

    /** Verbose text for a dialect-specific error code (used by CMEE mode 2), or null. */
    default String errorText(int code) {
        return null;
    }

    /** Fault: the data bearer drops under open sockets. */
    void bearerLoss();

    /** Fault: the peer of socket {@code id} closes the connection. Returns false if there is no such socket. */
    boolean remoteClose(int id);
}
