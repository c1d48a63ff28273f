package dev.atmodem.testkit.sim.ublox;

/**
 * The SARA variants the dialect can play, and what differs between them, as data (AT-REFERENCE §3). The identity
 * strings are UNCONFIRMED: the reference gives no {@code ATI}/{@code AT+CGMx} answers for u-blox modules, so they
 * are plausible values a driver must recognise by prefix ({@code SARA-R4}, {@code SARA-R5}), not by exact text.
 *
 * @param dialectName        the simulator dialect name
 * @param model              {@code AT+CGMM} answer (UNCONFIRMED text)
 * @param revision           {@code AT+CGMR} answer (UNCONFIRMED text)
 * @param imei               {@code AT+CGSN} answer (made up)
 * @param psdProfile         true: sockets need the SARA-R5 PSD profile ({@code AT+UPSD}/{@code AT+UPSDA}, §3A);
 *                           false: the SARA-R4 PDP context ({@code AT+CGDCONT}/{@code AT+CGACT})
 * @param authPasswordFirst  true: {@code AT+UAUTHREQ=<cid>,<auth>,"<password>","<username>"} (SARA-R4, §3A)
 * @param asyncSocketOps     {@code AT+USOCO=...,1} and {@code AT+USOCL=...,1} exist (not on R404M/R410M-01B, §3B)
 * @param emptyReadOmitsLength nothing to read answers {@code +USORD: <s>,""} (R4/N4, §3B)
 * @param accessTechnology   the {@code <AcT>} in {@code AT+COPS?} (7 = LTE / LTE-M)
 */
public record SaraModel(String dialectName, String model, String revision, String imei, boolean psdProfile,
        boolean authPasswordFirst, boolean asyncSocketOps, boolean emptyReadOmitsLength,
        int accessTechnology) {

    /** SARA-R410M-02B, LTE-M/NB-IoT: the dialect {@code sara-r4}. */
    public static final SaraModel R410M_02B = new SaraModel("sara-r4", "SARA-R410M-02B",
            "L0.0.00.00.05.08 [Apr 17 2019 19:34:02]", "352753090000001", false, true, true, true, 7);
    /** SARA-R410M-01B: no async connect/close (§3B). Dialect {@code sara-r410m-01b}. */
    public static final SaraModel R410M_01B = new SaraModel("sara-r4", "SARA-R410M-01B",
            "L0.0.00.00.04.04 [Mar 02 2018 11:29:47]", "352753090000002", false, true, false, true, 7);
    /** SARA-R412M-02B: LTE-M/NB-IoT plus 2G (the simulator plays it like the R410M-02B). Dialect {@code sara-r412m}. */
    public static final SaraModel R412M_02B = new SaraModel("sara-r4", "SARA-R412M-02B",
            "M0.10.00 [Mar 28 2019 11:17:23]", "352753090000003", false, true, true, true, 7);
    /** SARA-R510S: internal sockets through a PSD profile (§3A). Dialect {@code sara-r5}. */
    public static final SaraModel R510S = new SaraModel("sara-r5", "SARA-R510S",
            "03.15", "352753090000004", true, false, true, false, 7);

    public boolean isR5() {
        return psdProfile;
    }
}
