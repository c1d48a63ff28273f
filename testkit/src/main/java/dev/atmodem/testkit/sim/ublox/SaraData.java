package dev.atmodem.testkit.sim.ublox;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
import java.util.Objects;

/**
 * The data context (AT-REFERENCE §3A). SARA-R4: PDP contexts through {@code AT+CGDCONT}, {@code AT+CGACT},
 * {@code AT+UAUTHREQ} (password before user name) or {@code AT+CGAUTH}; context 1 comes up by itself once registered.
 * SARA-R5: the sockets need PSD profile 0 ({@code AT+UPSD=0,0,0}, {@code AT+UPSD=0,100,<cid>}, {@code AT+UPSDA=0,3}
 * → {@code OK}, then {@code +UUPSDA: 0,"<ip>"}); {@code AT+UAUTHREQ} takes the user name first. Bearer loss:
 * {@code +CGEV: NW PDN DEACT <cid>} (R4) or {@code +UUPSDD: 0} (R5).
 */
final class SaraData {

    static final int MAX_CID = SaraDialect.MAX_CID;
    /** The one PSD profile simulated on the R5. */
    static final int PROFILE = 0;

    private static final class Context {
        String type = "IP";
        String apn = "";
        String user = "";
        String pass = "";
        int auth;
        boolean active;
    }

    private final SaraDialect modem;
    private final ModemContext ctx;
    private final SaraSockets sockets;
    private final Context[] contexts = new Context[MAX_CID + 1];
    private String address = "10.0.0.2";
    private String requiredUser;
    private String requiredPass;

    // R5 PSD profile 0
    private int profileCid = 1;
    private int profileIpType;
    private boolean profileActive;

    SaraData(SaraDialect modem, ModemContext ctx, SaraSockets sockets) {
        this.modem = modem;
        this.ctx = ctx;
        this.sockets = sockets;
    }

    void address(String ip) {
        this.address = ip;
    }

    void requireCredentials(String user, String pass) {
        this.requiredUser = user;
        this.requiredPass = pass;
    }

    /** Whether sockets have a bearer. */
    boolean active() {
        if (modem.model().psdProfile()) {
            return profileActive;
        }
        for (Context c : contexts) {
            if (c != null && c.active) {
                return true;
            }
        }
        return false;
    }

    void reset() {
        for (int i = 0; i <= MAX_CID; i++) {
            contexts[i] = null;
        }
        profileCid = 1;
        profileIpType = 0;
        profileActive = false;
    }

    /** Power-on, PIN unlocked, radio on: an R4 brings context 1 up by itself (§3A). */
    void poweredOn() {
        if (!modem.model().psdProfile() && SaraDialect.R4_AUTO_ACTIVATES_CONTEXT && modem.registered()
                && requiredUser == null) {
            context(SaraDialect.R4_DEFAULT_CID).active = true;
        }
    }

    /** Registered again: an R4 brings context 1 back; deregistered: every bearer goes, silently. */
    void registrationChanged() {
        if (modem.registered()) {
            poweredOn();
        } else if (active()) {
            radioOff();
            sockets.bearerLost();
        }
    }

    /** Radio off: every context and the profile go, without URCs (the host asked for it). */
    void radioOff() {
        for (Context c : contexts) {
            if (c != null) {
                c.active = false;
            }
        }
        profileActive = false;
    }

    /** The bearer-loss fault: URCs per the model, sockets dead. */
    void bearerLost() {
        if (modem.model().psdProfile()) {
            if (profileActive) {
                profileActive = false;
                sockets.bearerLost();
                ctx.urc("+UUPSDD: " + PROFILE);
            }
            return;
        }
        boolean any = false;
        for (int cid = 1; cid <= MAX_CID; cid++) {
            Context c = contexts[cid];
            if (c != null && c.active) {
                c.active = false;
                if (!any) {
                    sockets.bearerLost();
                    any = true;
                }
                ctx.urc("+CGEV: NW PDN DEACT " + cid);
            }
        }
    }

    private Context context(int cid) {
        if (contexts[cid] == null) {
            contexts[cid] = new Context();
        }
        return contexts[cid];
    }

    private boolean credentialsAccepted(int cid) {
        if (requiredUser == null) {
            return true;
        }
        Context c = contexts[cid];
        return c != null && requiredUser.equals(c.user) && Objects.equals(requiredPass, c.pass);
    }

    void handle(AtCommand c, Reply r) {
        switch (c.name()) {
            case "+CGATT" -> {
                if (c.form() == Form.READ) {
                    r.line("+CGATT: " + (modem.registered() ? 1 : 0)).ok();
                } else if (c.form() == Form.TEST) {
                    r.line("+CGATT: (0-1)").ok();
                } else {
                    r.ok();
                }
            }
            case "+CGDCONT" -> cgdcont(c, r);
            case "+CGACT" -> cgact(c, r);
            case "+CGPADDR" -> {
                int cid = c.form() == Form.SET ? c.intArg(0, 1, MAX_CID) : SaraDialect.R4_DEFAULT_CID;
                boolean up = contexts[cid] != null && contexts[cid].active;
                r.line("+CGPADDR: " + cid + ",\"" + (up ? address : "0.0.0.0") + "\"").ok();
            }
            case "+UAUTHREQ" -> uauthreq(c, r);
            case "+CGAUTH" -> cgauth(c, r);
            case "+UPSD" -> upsd(c, r);
            case "+UPSDA" -> upsda(c, r);
            case "+UPSND" -> upsnd(c, r);
            default -> r.error();
        }
    }

    private void cgdcont(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> {
                for (int cid = 1; cid <= MAX_CID; cid++) {
                    Context x = contexts[cid];
                    if (x != null) {
                        r.line(String.format(SaraDialect.CGDCONT_READ_FORMAT, cid, x.type, x.apn,
                                x.active ? address : "0.0.0.0"));
                    }
                }
                r.ok();
            }
            case TEST -> r.line("+CGDCONT: (1-" + MAX_CID + "),\"IP\",,,(0-2),(0-4)").ok();
            case SET -> {
                int cid = c.intArg(0, 1, MAX_CID);
                if (c.argCount() == 1) {
                    contexts[cid] = null;
                    r.ok();
                    return;
                }
                Context x = context(cid);
                // redefining an active context is accepted and applies at the next activation (UNCONFIRMED)
                x.type = c.stringArg(1);
                x.apn = c.hasArg(2) ? c.stringArg(2) : "";
                r.ok();
            }
            default -> r.error();
        }
    }

    private void cgact(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> {
                for (int cid = 1; cid <= MAX_CID; cid++) {
                    if (contexts[cid] != null) {
                        r.line("+CGACT: " + cid + "," + (contexts[cid].active ? 1 : 0));
                    }
                }
                r.ok();
            }
            case TEST -> r.line("+CGACT: (0-1)").ok();
            case SET -> {
                int state = c.intArg(0, 0, 1);
                int cid = c.hasArg(1) ? c.intArg(1, 1, MAX_CID) : SaraDialect.R4_DEFAULT_CID;
                if (state == 0) {
                    Context x = contexts[cid];
                    if (x != null && x.active) {
                        x.active = false;
                        if (!active()) {
                            sockets.bearerLost();
                        }
                    }
                    r.pause(ctx.conditions().halfRttMillis()).ok();
                    return;
                }
                // activation is a network procedure: a round trip either way
                r.pause(ctx.conditions().rttMillis());
                if (!modem.registered()) {
                    r.cmeError(SaraDialect.SOCKET_CME);
                } else if (!credentialsAccepted(cid)) {
                    r.cmeError(SaraDialect.AUTH_FAILURE_CME);
                } else {
                    context(cid).active = true;   // already active: OK again (ubxlib re-sends it, §3A)
                    r.ok();
                }
            }
            default -> r.error();
        }
    }

    /** {@code AT+UAUTHREQ=<cid>,<auth>[,<a>,<b>]}: R4 takes password then user name, R5 user name then password. */
    private void uauthreq(AtCommand c, Reply r) {
        if (c.form() == Form.TEST) {
            r.line("+UAUTHREQ: (1-" + MAX_CID + "),(0-3)").ok();
            return;
        }
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int cid = c.intArg(0, 1, MAX_CID);
        int auth = c.intArg(1, 0, 3);
        String a = c.hasArg(2) ? c.stringArg(2) : "";
        String b = c.hasArg(3) ? c.stringArg(3) : "";
        Context x = context(cid);
        x.auth = auth;
        if (modem.model().authPasswordFirst()) {
            x.pass = a;
            x.user = b;
        } else {
            x.user = a;
            x.pass = b;
        }
        r.ok();
    }

    /** 27.007 {@code AT+CGAUTH=<cid>,<auth>,"<user>","<password>"} (TinyGSM, §3A). */
    private void cgauth(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.ok();
            return;
        }
        int cid = c.intArg(0, 1, MAX_CID);
        Context x = context(cid);
        x.auth = c.hasArg(1) ? c.intArg(1, 0, 3) : 0;
        x.user = c.hasArg(2) ? c.stringArg(2) : "";
        x.pass = c.hasArg(3) ? c.stringArg(3) : "";
        r.ok();
    }

    private void upsd(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        c.intArg(0, PROFILE, PROFILE);
        int param = c.intArg(1);
        if (c.argCount() == 2) {
            switch (param) {
                case 0 -> r.line("+UPSD: 0,0," + profileIpType).ok();
                case 100 -> r.line("+UPSD: 0,100," + profileCid).ok();
                default -> r.cmeError(SaraDialect.UNSUPPORTED_CME);
            }
            return;
        }
        switch (param) {
            case 0 -> profileIpType = c.intArg(2, 0, 3);
            case 100 -> profileCid = c.intArg(2, 1, MAX_CID);
            case 1, 2, 3, 6, 7 -> c.arg(2);   // legacy U2/G3 APN/user/password/auth/IP: accepted, not used
            default -> {
                r.cmeError(SaraDialect.UNSUPPORTED_CME);
                return;
            }
        }
        r.ok();
    }

    private void upsda(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        c.intArg(0, PROFILE, PROFILE);
        int action = c.intArg(1, 0, 6);
        if (action == 4) {
            boolean was = profileActive;
            profileActive = false;
            if (was) {
                sockets.bearerLost();
            }
            r.pause(ctx.conditions().halfRttMillis()).ok();
            if (was && SaraDialect.UUPSDD_ON_HOST_DEACTIVATION) {
                r.then(() -> ctx.urc("+UUPSDD: " + PROFILE));
            }
            return;
        }
        if (action != 3) {
            r.ok();   // reset/store/load of the profile: nothing to simulate
            return;
        }
        if (!modem.model().psdProfile() || !modem.registered() || (profileActive && SaraDialect.UPSDA_ACTIVE_IS_ERROR)) {
            r.cmeError(SaraDialect.SOCKET_CME);
            return;
        }
        long gen = modem.generation;
        int cid = profileCid;
        r.ok().then(() -> ctx.schedule(ctx.conditions().rttMillis(), () -> {
            if (gen != modem.generation) {
                return;
            }
            if (!modem.registered() || !credentialsAccepted(cid)) {
                ctx.urc("+UUPSDA: " + SaraDialect.UUPSDA_REJECTED);
                return;
            }
            profileActive = true;
            ctx.urc("+UUPSDA: 0,\"" + address + "\"");
        }));
    }

    private void upsnd(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        c.intArg(0, PROFILE, PROFILE);
        int param = c.intArg(1);
        switch (param) {
            case 0 -> r.line("+UPSND: 0,0,\"" + (profileActive ? address : "0.0.0.0") + "\"").ok();
            case 8 -> r.line("+UPSND: 0,8," + (profileActive ? 1 : 0)).ok();
            default -> r.cmeError(SaraDialect.UNSUPPORTED_CME);
        }
    }
}
