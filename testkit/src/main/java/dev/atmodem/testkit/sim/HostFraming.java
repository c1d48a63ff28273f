package dev.atmodem.testkit.sim;

/**
 * The frame protocol of {@link HostMode#EDM}: parses what the host sends and wraps the AT text the framework
 * produces (echo, answers, URCs). Data frames are the dialect's business: its framing hands them over itself.
 *
 * <p>{@link #fromHost} runs on the simulator's input thread <em>without</em> the simulator lock, so that a data frame
 * may wait for room in a socket's send buffer (flow control: the host is then paced by the line, nothing is lost).
 * Take {@link ModemContext#lock()} for any dialect state.
 */
public interface HostFraming {

    /** Receives the AT command lines found inside frames (without terminator), to be run like typed ones. */
    @FunctionalInterface
    interface CommandSink {
        void command(byte[] line) throws InterruptedException;
    }

    /** Consumes one byte from the host. */
    void fromHost(byte b, CommandSink commands) throws InterruptedException;

    /** Wraps (part of) the answer to an AT command, echo included. */
    byte[] response(byte[] text);

    /** Wraps an unsolicited result code ({@code \r\n<urc>\r\n}). */
    byte[] event(byte[] text);
}
