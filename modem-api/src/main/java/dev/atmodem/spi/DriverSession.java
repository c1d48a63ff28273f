package dev.atmodem.spi;

import dev.atmodem.at.Cancellation;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One driver bound to one open modem: the bring-up script, data attach, and the socket primitives the shared socket
 * engine is built on. Each primitive runs one short exchange over the {@link dev.atmodem.at.AtEngine}; buffering,
 * chunking, retries and java.net semantics live in the socket engine, not here.
 */
public interface DriverSession {

    /** From "answers AT with echo off" to "SIM ready and registered": PIN, error mode, registration wait. */
    void bringUp() throws IOException;

    /** Activates the data connection (APN or Wi-Fi) configured in the options; reuses one already active. */
    void attach() throws IOException;

    /**
     * Brings the modem back after a reboot, a lost data connection or a silence, once it answers {@code AT} again with
     * echo off. Every socket is already failed and forgotten by the engine: forget their ids too. The default runs
     * {@link #bringUp()} and {@link #attach()}.
     */
    default void recover() throws IOException {
        bringUp();
        attach();
    }

    /**
     * Opens a TCP connection to {@code host} (a name the modem resolves, or an IP literal) and returns the socket id
     * the other primitives take. Waits for the modem's connect result up to {@code timeout}.
     */
    int openTcp(String host, int port, Duration timeout, Cancellation cancel) throws IOException;

    /**
     * Sends one chunk of at most {@link ModelCapabilities#maxSendChunk()} bytes. Returns the number of bytes the modem
     * accepted, or 0 when it refused them for now (its send buffer is full: {@code SEND FAIL}) and the engine should
     * retry later. Throws when the socket or the modem is broken.
     */
    int send(int id, byte[] b, int off, int len, Cancellation cancel) throws IOException;

    /** Reads at most {@code max} bytes the modem holds for socket {@code id}. */
    ReadChunk read(int id, int max) throws IOException;

    /** Closes socket {@code id} on the modem, releasing the id for reuse. */
    void close(int id) throws IOException;

    /** Resolves a host name with the modem's DNS. */
    default List<InetAddress> resolve(String host) throws IOException {
        throw new UnsupportedOperationException("this modem driver has no DNS lookup");
    }

    /** The network's idea of the current time, if the modem knows it. */
    default Optional<Instant> networkTime() throws IOException {
        return Optional.empty();
    }

    /**
     * A model-specific feature this session offers beyond sockets (u-blox NINA-W: its PPP commands), or empty. Reached
     * through {@link dev.atmodem.Modem#feature(Class)}.
     */
    default <T> Optional<T> feature(Class<T> type) {
        return Optional.empty();
    }
}
