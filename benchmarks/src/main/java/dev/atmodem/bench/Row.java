package dev.atmodem.bench;

import java.util.Locale;

/**
 * One line of the result table.
 *
 * @param measure what was measured ("upload 115200")
 * @param modem   the modem row it ran on, or "host"
 * @param figure  the measured value with its unit
 * @param limit   the physical limit (or floor) it is compared to, measured or computed in the same run
 * @param ratio   figure / limit (or the figure itself where there is no limit); NaN when not applicable
 * @param target  the target, as text ("≥ 0.95"); "-" when the issue sets none
 * @param verdict PASS, FAIL, or "-" (informational)
 */
public record Row(String measure, String modem, String figure, String limit, double ratio, String target,
                  String verdict) {

    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String INFO = "-";

    /** A line judged against a lower bound on its ratio. */
    public static Row atLeast(String measure, String modem, String figure, String limit, double ratio, double min) {
        return new Row(measure, modem, figure, limit, ratio, "≥ " + fmt(min), ratio >= min ? PASS : FAIL);
    }

    /** A line judged against an upper bound on its ratio. */
    public static Row atMost(String measure, String modem, String figure, String limit, double ratio, double max) {
        return new Row(measure, modem, figure, limit, ratio, "≤ " + fmt(max), ratio <= max ? PASS : FAIL);
    }

    /** A line without a target (reported for information). */
    public static Row info(String measure, String modem, String figure, String limit, double ratio) {
        return new Row(measure, modem, figure, limit, ratio, INFO, INFO);
    }

    /** A measurement that could not be taken: always a failure, with the reason in place of the figure. */
    public static Row failed(String measure, String modem, String why) {
        return new Row(measure, modem, "error: " + why.replace('|', '/').replace('\n', ' '), "-", Double.NaN, "-",
                FAIL);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
    }
}
