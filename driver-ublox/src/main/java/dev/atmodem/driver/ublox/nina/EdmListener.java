package dev.atmodem.driver.ublox.nina;

/** The EDM frames that are not AT text, as the framing hands them over (on the AT engine's reader thread). */
interface EdmListener {

    void connected(EdmConnect event);

    void disconnected(int channel);

    void data(int channel, byte[] data);

    /** The module (re)started in EDM ({@code 0x71} start event). */
    void started();
}
