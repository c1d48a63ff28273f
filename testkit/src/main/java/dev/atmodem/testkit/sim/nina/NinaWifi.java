package dev.atmodem.testkit.sim.nina;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
import dev.atmodem.testkit.sim.SimOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Wi-Fi station (AT-REFERENCE §4A): configurations ({@code AT+UWSC}), their actions ({@code AT+UWSCA}), the
 * link and network state with its URCs ({@code +UUWLE}, {@code +UUNU}, {@code +UUWLD}, {@code +UUND}), and the
 * status commands ({@code AT+UWSSTAT}, {@code AT+UNSTAT}). The one access point in range is
 * {@link SimOptions#apSsid()} with WPA2 PSK and {@link SimOptions#apPassphrase()}.
 */
final class NinaWifi {

    /** The station's states. */
    enum State { DISABLED, CONNECTING, LINK_UP, NETWORK_UP }

    private final NinaDialect modem;
    private final ModemContext ctx;
    /** Configurations being edited, by id; each a tag -> value map (strings unquoted). */
    private final Map<Integer, Map<Integer, String>> configs = new HashMap<>();
    /** Configurations stored with {@code AT+UWSCA=<id>,1}; they survive a reboot. */
    private final Map<Integer, Map<Integer, String>> stored = new HashMap<>();
    private State state = State.DISABLED;
    private int activeConfig = -1;
    private long attempt;

    // knobs; they survive reboots
    private int rssi = NinaDialect.RSSI;
    private int restoreMillis = NinaDialect.LINK_RESTORE_MILLIS;

    NinaWifi(NinaDialect modem, ModemContext ctx) {
        this.modem = modem;
        this.ctx = ctx;
    }

    void rssi(int dbm) {
        rssi = dbm;
    }

    void restoreMillis(int ms) {
        restoreMillis = ms;
    }

    State state() {
        return state;
    }

    boolean networkUp() {
        return state == State.NETWORK_UP;
    }

    String address() {
        return networkUp() ? NinaDialect.DHCP_ADDRESS : "0.0.0.0";
    }

    /** Power-off: the link goes without URCs; configurations not stored are lost. */
    void powerOff() {
        attempt++;
        state = State.DISABLED;
        activeConfig = -1;
        configs.clear();
        stored.forEach((id, c) -> configs.put(id, new HashMap<>(c)));
    }

    /** Power-on: a stored configuration marked active on startup (tag 0 = 1) connects by itself. */
    void powerOn() {
        for (Map.Entry<Integer, Map<Integer, String>> e : new TreeMap<>(configs).entrySet()) {
            if ("1".equals(e.getValue().get(NinaDialect.TAG_ACTIVE_ON_STARTUP))) {
                activate(e.getKey());
                return;
            }
        }
    }

    // ---- AT+UWSC ----

    void uwsc(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int id = c.intArg(0, 0, NinaDialect.MAX_CONFIG_ID);
        Map<Integer, String> cfg = configs.computeIfAbsent(id, k -> new HashMap<>());
        if (c.argCount() == 1) {
            for (Map.Entry<Integer, String> e : new TreeMap<>(cfg).entrySet()) {
                r.line("+UWSC:" + id + "," + e.getKey() + "," + shown(e.getKey(), e.getValue()));
            }
            r.ok();
            return;
        }
        int tag = c.intArg(1);
        if (c.argCount() == 2) {
            String v = cfg.get(tag);
            if (v == null && !NinaDialect.STRING_TAGS.contains(tag) && !NinaDialect.INT_TAGS.contains(tag)) {
                r.error();
                return;
            }
            if (v == null) {
                v = NinaDialect.INT_TAG_DEFAULTS.getOrDefault(tag, "");
            }
            r.line("+UWSC:" + id + "," + tag + "," + shown(tag, v)).ok();
            return;
        }
        String value = c.arg(2);
        if (NinaDialect.STRING_TAGS.contains(tag)) {
            if (!c.isQuoted(2) || !valid(tag, value)) {
                r.error();
                return;
            }
        } else if (NinaDialect.INT_TAGS.contains(tag)) {
            int v = c.intArg(2);
            if (tag == NinaDialect.TAG_AUTH && !NinaDialect.AUTH_VALUES.contains(v)) {
                r.error();
                return;
            }
        } else {
            r.error();   // a tag the simulator does not know (AT-REFERENCE §4A lists the known ones)
            return;
        }
        cfg.put(tag, value);
        r.ok();
    }

    private static boolean valid(int tag, String v) {
        return switch (tag) {
            case NinaDialect.TAG_SSID -> !v.isEmpty() && v.length() <= 32;
            case NinaDialect.TAG_PASSPHRASE -> v.length() <= 64;
            default -> v.length() <= 64;
        };
    }

    /** A value as {@code +UWSC} shows it: strings quoted, the passphrase never (UNCONFIRMED: shown empty). */
    private static String shown(int tag, String v) {
        if (tag == NinaDialect.TAG_PASSPHRASE) {
            return "\"\"";
        }
        return NinaDialect.STRING_TAGS.contains(tag) ? "\"" + v + "\"" : v;
    }

    // ---- AT+UWSCA ----

    void uwsca(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int id = c.intArg(0, 0, NinaDialect.MAX_CONFIG_ID);
        int action = c.intArg(1, 0, 4);
        switch (action) {
            case 0 -> {
                configs.remove(id);
                r.ok();
            }
            case 1 -> {
                stored.put(id, new HashMap<>(configs.getOrDefault(id, Map.of())));
                r.ok();
            }
            case 2 -> {
                Map<Integer, String> s = stored.get(id);
                if (s != null) {
                    configs.put(id, new HashMap<>(s));
                }
                r.ok();
            }
            case 3 -> {
                Map<Integer, String> cfg = configs.get(id);
                if (cfg == null || !cfg.containsKey(NinaDialect.TAG_SSID)) {
                    r.error();   // UNCONFIRMED: activating a configuration without an SSID is refused
                    return;
                }
                if (activeConfig == id && state != State.DISABLED) {
                    r.ok();
                    return;
                }
                if (activeConfig >= 0 && activeConfig != id) {
                    r.error();   // UNCONFIRMED: one station configuration active at a time
                    return;
                }
                r.ok().then(() -> activate(id));
            }
            default -> {
                if (activeConfig != id) {
                    r.error();
                    return;
                }
                r.ok().then(() -> deactivate(id));
            }
        }
    }

    /** Joins the access point if the configuration matches it; otherwise the link never comes up. */
    private void activate(int id) {
        long gen = ++attempt;
        activeConfig = id;
        state = State.CONNECTING;
        Map<Integer, String> cfg = configs.getOrDefault(id, Map.of());
        SimOptions o = ctx.options();
        int auth = Integer.parseInt(cfg.getOrDefault(NinaDialect.TAG_AUTH, "1"));
        String psk = cfg.getOrDefault(NinaDialect.TAG_PASSPHRASE, "");
        int reason;
        if (!o.apSsid().equals(cfg.get(NinaDialect.TAG_SSID))) {
            reason = NinaDialect.REASON_NOT_FOUND;
        } else if (o.openAccessPoint() ? auth != 1 : auth == 1 || !o.apPassphrase().equals(psk)) {
            reason = NinaDialect.REASON_SECURITY;
        } else {
            reason = -1;
        }
        int delay = NinaDialect.ASSOCIATE_MILLIS + ctx.conditions().rttMillis();
        if (reason >= 0) {
            ctx.schedule(delay, () -> {
                if (gen == attempt) {
                    state = State.DISABLED;
                    activeConfig = -1;
                    ctx.urc("+UUWLD:" + NinaDialect.WIFI_CONN_ID + "," + reason);
                }
            });
            return;
        }
        ctx.schedule(delay, () -> {
            if (gen != attempt) {
                return;
            }
            state = State.LINK_UP;
            ctx.urc("+UUWLE:" + NinaDialect.WIFI_CONN_ID + "," + NinaDialect.AP_BSSID + "," + NinaDialect.AP_CHANNEL);
            ctx.schedule(NinaDialect.DHCP_MILLIS + ctx.conditions().rttMillis(), () -> {
                if (gen == attempt && state == State.LINK_UP) {
                    state = State.NETWORK_UP;
                    ctx.urc("+UUNU:" + NinaDialect.WIFI_INTERFACE);
                }
            });
        });
    }

    /** {@code AT+UWSCA=<id>,4}: the host takes the link down. */
    private void deactivate(int id) {
        attempt++;
        boolean wasNet = state == State.NETWORK_UP;
        boolean wasLink = state == State.LINK_UP || wasNet;
        state = State.DISABLED;
        activeConfig = -1;
        if (wasLink) {
            ctx.urc("+UUWLD:" + NinaDialect.WIFI_CONN_ID + "," + NinaDialect.REASON_NETWORK_DISABLED);
        }
        if (wasNet) {
            ctx.urc("+UUND:" + NinaDialect.WIFI_INTERFACE);
        }
        modem.networkLost();
    }

    /**
     * Fault: the access point goes away under an up link: {@code +UUWLD:0,<out of range>}, {@code +UUND:0}, every
     * peer closed; after the restore delay (if not negative) the station joins again by itself.
     */
    void linkLost() {
        if (state == State.DISABLED || activeConfig < 0) {
            return;
        }
        int id = activeConfig;
        long gen = ++attempt;
        boolean wasNet = state == State.NETWORK_UP;
        state = State.CONNECTING;
        ctx.urc("+UUWLD:" + NinaDialect.WIFI_CONN_ID + "," + NinaDialect.REASON_OUT_OF_RANGE);
        if (wasNet) {
            ctx.urc("+UUND:" + NinaDialect.WIFI_INTERFACE);
        }
        modem.networkLost();
        if (restoreMillis >= 0) {
            ctx.schedule(restoreMillis, () -> {
                if (gen == attempt) {
                    activate(id);
                }
            });
        }
    }

    /** Test control: the access point is back; a station still trying joins now. */
    void restore() {
        if (activeConfig >= 0 && state == State.CONNECTING) {
            activate(activeConfig);
        }
    }

    // ---- status ----

    /** {@code AT+UWSSTAT[=<tag>]}: 0 SSID, 1 BSSID, 2 channel, 3 status, 6 RSSI (§4A). */
    void uwsstat(AtCommand c, Reply r) {
        int[] tags = {0, 1, 2, 3, 6};
        if (c.form() == Form.SET) {
            int tag = c.intArg(0);
            String v = wsstat(tag);
            if (v == null) {
                r.error();
                return;
            }
            r.line("+UWSSTAT:" + tag + "," + v).ok();
        } else if (c.form() == Form.EXEC) {
            for (int t : tags) {
                r.line("+UWSSTAT:" + t + "," + wsstat(t));
            }
            r.ok();
        } else {
            r.error();
        }
    }

    private String wsstat(int tag) {
        boolean link = state == State.LINK_UP || state == State.NETWORK_UP;
        return switch (tag) {
            case 0 -> "\"" + (link ? ctx.options().apSsid() : "") + "\"";
            case 1 -> link ? NinaDialect.AP_BSSID : "000000000000";
            case 2 -> link ? Integer.toString(NinaDialect.AP_CHANNEL) : "0";
            case 3 -> state == State.DISABLED ? "0" : link ? "2" : "1";
            case 6 -> link ? Integer.toString(rssi) : Integer.toString(NinaDialect.RSSI_UNKNOWN);
            default -> null;
        };
    }

    /** {@code AT+UNSTAT[=<iface>[,<tag>]]}: interface 0 is the Wi-Fi station (§4A). */
    void unstat(AtCommand c, Reply r) {
        int[] tags = {2, 101, 102, 103, 104, 105};
        if (c.form() == Form.EXEC) {
            for (int t : tags) {
                r.line("+UNSTAT:" + NinaDialect.WIFI_INTERFACE + "," + t + "," + nstat(t));
            }
            r.ok();
            return;
        }
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int iface = c.intArg(0);
        if (iface != NinaDialect.WIFI_INTERFACE) {
            r.error();   // UNCONFIRMED: other interfaces (AP, Ethernet, PPP) are not simulated
            return;
        }
        if (c.argCount() == 1) {
            for (int t : tags) {
                r.line("+UNSTAT:" + iface + "," + t + "," + nstat(t));
            }
            r.ok();
            return;
        }
        int tag = c.intArg(1);
        String v = nstat(tag);
        if (v == null) {
            r.error();
            return;
        }
        r.line("+UNSTAT:" + iface + "," + tag + "," + v).ok();
    }

    private String nstat(int tag) {
        boolean up = networkUp();
        return switch (tag) {
            case 2 -> "1";   // Wi-Fi station
            case 101 -> up ? NinaDialect.DHCP_ADDRESS : "0.0.0.0";
            case 102 -> up ? NinaDialect.SUBNET_MASK : "0.0.0.0";
            case 103 -> up ? NinaDialect.GATEWAY : "0.0.0.0";
            case 104 -> up ? NinaDialect.DNS1 : "0.0.0.0";
            case 105 -> up ? NinaDialect.DNS2 : "0.0.0.0";
            default -> null;
        };
    }
}
