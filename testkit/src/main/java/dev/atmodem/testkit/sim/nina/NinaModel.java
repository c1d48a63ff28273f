package dev.atmodem.testkit.sim.nina;

/**
 * The u-connectXpress gen1 modules the dialect can play, and what differs between them, as data. The identity strings
 * are UNCONFIRMED: AT-REFERENCE §4 gives no {@code ATI}/{@code AT+GMx} answers, so they are plausible values that a
 * driver must recognise by prefix ({@code NINA-W1}, {@code ODIN-W2}), not by exact text.
 *
 * @param dialectName the simulator dialect name
 * @param typeCode    {@code ATI0} answer (UNCONFIRMED text)
 * @param model       {@code AT+GMM} answer (UNCONFIRMED text)
 * @param revision    {@code AT+GMR} answer, also the first field of {@code ATI9} (UNCONFIRMED text)
 * @param serial      {@code AT+GSN} answer (made up)
 * @param macAddress  {@code AT+UWAPMACADDR} answer, 12 hex digits (§4X shows the format)
 * @param maxPeers    most peers open at once; UNCONFIRMED (not in the reference): ubxlib's gen1 Wi-Fi socket layer
 *                    allows 7 connections ({@code U_WIFI_SOCK_MAX_NUM_CONNECTIONS})
 */
public record NinaModel(String dialectName, String typeCode, String model, String revision, String serial,
        String macAddress, int maxPeers) {

    /** NINA-W13x (Wi-Fi + BLE), the module of the §4X log: dialect {@code nina-w}. */
    public static final NinaModel NINA_W13 = new NinaModel("nina-w", "NINA-W132-01B", "NINA-W13X", "2.1.0-017",
            "6009C3E05737", "6009C3E05737", 7);
    /** ODIN-W262 (Wi-Fi + Bluetooth, PPP capable per §4E): dialect {@code odin-w2}. */
    public static final NinaModel ODIN_W2 = new NinaModel("odin-w2", "ODIN-W262-06B", "ODIN-W2", "7.0.0-051",
            "D4CA6E000001", "D4CA6E000001", 7);

    /** The {@code ATI9} answer: application version and a build identifier (UNCONFIRMED format). */
    public String ati9() {
        return "\"" + revision + "\",\"" + model + "-" + revision + "\"";
    }
}
