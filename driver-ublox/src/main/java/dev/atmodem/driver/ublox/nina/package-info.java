/**
 * The u-blox NINA-W1 / ODIN-W2 Wi-Fi modules (u-connectXpress gen1, AT-REFERENCE §4): Wi-Fi station bring-up
 * ({@code AT+UWSC}, {@code AT+UWSCA}), peers ({@code AT+UDCP}) as sockets, carried over Extended Data Mode frames
 * ({@link dev.atmodem.driver.ublox.nina.EdmFraming} on the modem's {@link dev.atmodem.link.FramedLink}), and the PPP
 * commands ({@link dev.atmodem.driver.ublox.nina.NinaOperations}).
 */
package dev.atmodem.driver.ublox.nina;
