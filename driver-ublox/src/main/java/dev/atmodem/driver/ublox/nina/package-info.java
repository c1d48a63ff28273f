/**
 * Reserved for the u-blox NINA-W1 / ODIN-W2 Wi-Fi modules (u-connectXpress, AT-REFERENCE §4): Wi-Fi station
 * bring-up ({@code AT+UWSC}), peers ({@code AT+UDCP}) and the EDM framing of data mode. Nothing here yet:
 * {@link dev.atmodem.driver.ublox.UbloxDriver} does not recognise these modules, so {@code Modem.open} reports that no
 * installed driver handles them rather than pretending to.
 */
package dev.atmodem.driver.ublox.nina;
