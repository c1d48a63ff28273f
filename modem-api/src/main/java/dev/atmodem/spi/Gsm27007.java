package dev.atmodem.spi;

import dev.atmodem.ModemException;
import dev.atmodem.ModemSetupException;
import dev.atmodem.Registration;
import dev.atmodem.SignalQuality;
import dev.atmodem.at.AtCommand;
import dev.atmodem.at.AtEngine;
import dev.atmodem.at.AtException;
import dev.atmodem.at.AtResponse;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The 3GPP TS 27.007 commands every cellular family shares (SIM, signal, registration, operator, IMEI), so that
 * drivers do not each parse them again. All methods run commands on the given engine and throw its exceptions.
 */
public final class Gsm27007 {

    private static final List<String> REGISTRATION_QUERIES = List.of("CEREG", "CGREG", "CREG");
    private static final Duration SIM_BUSY_WAIT = Duration.ofSeconds(10);

    private Gsm27007() {
    }

    /** The SIM state word of {@code AT+CPIN?}: {@code READY}, {@code SIM PIN}, {@code SIM PUK}, ... */
    public static String simState(AtEngine at) throws IOException {
        AtResponse r = at.execute(AtCommand.of("AT+CPIN?").expect("+CPIN:").build());
        String v = r.value("+CPIN:");
        if (v == null) {
            throw new ModemException("the modem answered AT+CPIN? without a SIM state");
        }
        return v;
    }

    /**
     * Makes sure the SIM is ready, entering {@code pin} if it asks for one. The PIN never appears in a log or message.
     * A busy SIM (just after power-on) is asked again for a few seconds.
     */
    public static void unlockSim(AtEngine at, String pin) throws IOException {
        long deadline = System.nanoTime() + SIM_BUSY_WAIT.toNanos();
        boolean pinSent = false;
        while (true) {
            String state;
            try {
                state = simState(at);
            } catch (AtException e) {
                Integer code = e.code();
                String meaning = e.meaning() == null ? "" : e.meaning().toLowerCase();
                if ((code != null && code == 10) || meaning.contains("not inserted")) {
                    throw new ModemSetupException("no SIM card in the modem (" + e.answer() + ")", e);
                }
                if (((code != null && code == 14) || meaning.contains("busy")) && System.nanoTime() < deadline) {
                    sleep(500);
                    continue;
                }
                throw e;
            }
            switch (state) {
                case "READY" -> {
                    return;
                }
                case "SIM PIN" -> {
                    if (pin == null) {
                        throw new ModemSetupException("the SIM card is locked with a PIN: set ModemOptions.withPin(...)");
                    }
                    if (pinSent) {
                        throw new ModemSetupException("the SIM card still asks for its PIN after it was entered");
                    }
                    try {
                        at.execute(AtCommand.of("AT+CPIN=\"" + pin + "\"").secret(pin)
                                .timeout(Duration.ofSeconds(10)).build());
                    } catch (AtException e) {
                        throw new ModemSetupException("the SIM card refused the PIN (" + e.answer() + "); check it before"
                                + " trying again: three wrong PINs lock the SIM with its PUK", e);
                    }
                    pinSent = true;
                }
                case "SIM PUK" -> throw new ModemSetupException("the SIM card is blocked (it asks for its PUK after"
                        + " wrong PINs); unblock it in a phone first");
                case "NOT INSERTED" -> throw new ModemSetupException("no SIM card in the modem");
                default -> {
                    if (System.nanoTime() > deadline) {
                        throw new ModemException("the SIM card is not ready: " + state);
                    }
                    sleep(500);
                }
            }
        }
    }

    /** {@code AT+CSQ}. */
    public static SignalQuality signal(AtEngine at) throws IOException {
        String v = at.execute(AtCommand.of("AT+CSQ").expect("+CSQ:").build()).value("+CSQ:");
        String[] f = v == null ? new String[0] : v.split(",");
        if (f.length < 2) {
            throw new ModemException("unexpected answer to AT+CSQ: " + v);
        }
        return new SignalQuality(parseInt(f[0].trim(), 99), parseInt(f[1].trim(), 99));
    }

    /**
     * The best registration among CEREG, CGREG and CREG (a modem may be registered on one technology and searching on
     * another). Queries the modem does not support are skipped.
     */
    public static Registration registration(AtEngine at) throws IOException {
        Registration best = null;
        for (String q : REGISTRATION_QUERIES) {
            Registration r;
            try {
                String v = at.execute(AtCommand.of("AT+" + q + "?").expect("+" + q + ":").build()).value("+" + q + ":");
                if (v == null) {
                    continue;
                }
                String[] f = v.split(",");
                int stat = parseInt((f.length >= 2 ? f[1] : f[0]).trim(), 4);
                r = new Registration(Registration.State.of(stat), q);
            } catch (AtException e) {
                continue;
            }
            if (r.isRegistered()) {
                return r;
            }
            if (best == null || r.state() == Registration.State.DENIED
                    || best.state() == Registration.State.UNKNOWN) {
                best = r;
            }
        }
        if (best == null) {
            throw new ModemException("the modem answers none of AT+CEREG?, AT+CGREG?, AT+CREG?");
        }
        return best;
    }

    /**
     * Waits until the modem is registered (home or roaming). A denial fails at once: waiting would not help.
     * {@code progress} hears each intermediate state.
     */
    public static Registration awaitRegistration(AtEngine at, Duration timeout, Duration poll,
                                                 Consumer<Registration> progress) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Registration r;
        while (true) {
            r = registration(at);
            if (r.isRegistered()) {
                return r;
            }
            if (r.state() == Registration.State.DENIED) {
                throw new ModemSetupException("the network denied registration (" + r + "): check that the SIM has an"
                        + " active data plan and that the modem supports the network's bands");
            }
            progress.accept(r);
            if (System.nanoTime() > deadline) {
                throw new ModemException("the modem did not register within " + timeout.toSeconds() + " s (last: "
                        + r + "): check the antenna and the coverage");
            }
            sleep(poll.toMillis());
        }
    }

    /** The operator name from {@code AT+COPS?}, or "" when not registered. */
    public static String operator(AtEngine at) throws IOException {
        String v = at.execute(AtCommand.of("AT+COPS?").expect("+COPS:").build()).value("+COPS:");
        if (v == null) {
            return "";
        }
        int q1 = v.indexOf('"');
        int q2 = q1 < 0 ? -1 : v.indexOf('"', q1 + 1);
        return q2 > q1 ? v.substring(q1 + 1, q2) : "";
    }

    /** The IMEI from {@code AT+CGSN}, or "" when refused. */
    public static String imei(AtEngine at) throws IOException {
        try {
            for (String l : at.execute("AT+CGSN").texts()) {
                String digits = l.replace("+CGSN:", "").replace("\"", "").trim();
                if (digits.matches("\\d{14,17}")) {
                    return digits;
                }
            }
            return "";
        } catch (AtException e) {
            return "";
        }
    }

    /** The network time from {@code AT+CCLK?}, or empty when the modem's clock was never set by the network. */
    public static Optional<Instant> clock(AtEngine at) throws IOException {
        try {
            return parseClock(at.execute(AtCommand.of("AT+CCLK?").expect("+CCLK:").build()).value("+CCLK:"));
        } catch (AtException e) {
            return Optional.empty();
        }
    }

    private static final Pattern CLOCK = Pattern.compile(
            "\"?(\\d{2}|\\d{4})/(\\d{2})/(\\d{2}),(\\d{2}):(\\d{2}):(\\d{2})([+-]\\d{1,2})?(?:,(\\d))?\"?");

    /**
     * Parses the 3GPP clock format {@code "yy/MM/dd,hh:mm:ss±zz"} (zone in quarter hours; Quectel's QLTS adds a
     * four-digit year and {@code ,dst}) as an instant. Empty for an empty value or a clock that was never set (a year
     * before 2020: modems boot at their firmware's epoch).
     */
    public static Optional<Instant> parseClock(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = CLOCK.matcher(value.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int year = Integer.parseInt(m.group(1));
        if (year < 100) {
            year += 2000;
        }
        if (year < 2020) {
            return Optional.empty();
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
            int quarters = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
            return Optional.of(local.toInstant(ZoneOffset.ofTotalSeconds(quarters * 15 * 60)));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
