package dev.atmodem.testkit.sim.nina;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.CommonCommands;
import dev.atmodem.testkit.sim.Dialect;
import dev.atmodem.testkit.sim.HostMode;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * u-blox NINA-W13x and ODIN-W2 (u-connectXpress gen1), written from shared/AT-REFERENCE.md §4 (4A bring-up, 4B
 * peers, 4C EDM, 4E PPP, 4X the real log) and shared/QUIRKS.md only. Gen1 answers have no space after the colon.
 * What differs between the modules is data in {@link NinaModel}; every behaviour the reference marks UNCONFIRMED or
 * does not state is one named constant below.
 *
 * <p>Split: this class has identity, power, the data modes ({@code ATO2} EDM, {@code ATO3} PPP) and {@code AT+UPPPC};
 * {@link NinaWifi} the station ({@code UWSC/UWSCA/UWSSTAT/UNSTAT} and the link URCs); {@link NinaPeers} the peers
 * ({@code UDCP/UDCPC/UDLP}, {@code +UUDPC/+UUDPD}, EDM connect/disconnect/data); {@link NinaEdm} the EDM side of the
 * line; {@link EdmFrame}/{@link EdmDecoder} the packet codec.
 *
 * <p>Not simulated: transparent data mode ({@code ATO1}), {@code +++} escapes, UDP and other peer schemes, servers
 * ({@code AT+UDSC}), default remote peers ({@code AT+UDDRP}), AT-mode data ({@code UDATW/UDATR}, §4D), the access
 * point role, Bluetooth, static IP, IPv6, the PPP protocol itself (only a hook, {@link #pppEndpoint}).
 */
public final class NinaDialect implements Dialect {

    // ---- power-on and identity ----
    /** §4A/§4X: the power-on URC. */
    static final String STARTUP_URC = "+STARTUP";
    /** UNCONFIRMED: {@code AT+GMI}. */
    public static final String MANUFACTURER = "u-blox";
    /** UNCONFIRMED: the {@code AT+CMEE} mode after power-on; gen1 errors are a plain {@code ERROR}. */
    static final int DEFAULT_CMEE = 0;

    // ---- Wi-Fi station (§4A) ----
    /** Configuration ids 0..9 (UNCONFIRMED range; ubxlib uses 0). */
    static final int MAX_CONFIG_ID = 9;
    static final int TAG_ACTIVE_ON_STARTUP = 0;
    static final int TAG_SSID = 2;
    static final int TAG_AUTH = 5;
    static final int TAG_PASSPHRASE = 8;
    static final int TAG_IPV4_MODE = 100;
    /** String-valued tags (quoted). 101..105 are IPv4 addresses (UNCONFIRMED for UWSC; accepted, not used). */
    static final Set<Integer> STRING_TAGS = Set.of(TAG_SSID, TAG_PASSPHRASE, 101, 102, 103, 104, 105);
    /** Number-valued tags: 0, 5, 100 (§4A), 107, 300, 301 (UNCONFIRMED meaning; accepted, not used). */
    static final Set<Integer> INT_TAGS = Set.of(TAG_ACTIVE_ON_STARTUP, TAG_AUTH, TAG_IPV4_MODE, 107, 300, 301);
    /** UNCONFIRMED: what {@code AT+UWSC=<cfg>,<tag>} reads for a number tag never set. */
    static final Map<Integer, String> INT_TAG_DEFAULTS = Map.of(TAG_ACTIVE_ON_STARTUP, "0", TAG_AUTH, "1",
            TAG_IPV4_MODE, "2", 107, "0", 300, "0", 301, "0");
    /** Authentication values: 1 open, 2 WPA/WPA2 PSK, 6 WPA2/WPA3, 7 WPA3 (ubxlib's enum; 4/5 EAP refused). */
    static final Set<Integer> AUTH_VALUES = Set.of(1, 2, 6, 7);
    /** §4X: the connection id in {@code +UUWLE}/{@code +UUWLD}. */
    static final int WIFI_CONN_ID = 0;
    /** §4X: the network interface id of the station ({@code +UUNU:0}, {@code AT+UNSTAT=0,101}). */
    static final int WIFI_INTERFACE = 0;
    /** UNCONFIRMED: {@code +UUWLD} reason when the SSID is not in range (ubxlib's "out of range"). */
    static final int REASON_NOT_FOUND = 2;
    /** UNCONFIRMED: {@code +UUWLD} reason when the access point is lost under an up link. */
    static final int REASON_OUT_OF_RANGE = 2;
    /** UNCONFIRMED: {@code +UUWLD} reason for a wrong passphrase or authentication type ("security problems"). */
    static final int REASON_SECURITY = 4;
    /** UNCONFIRMED: {@code +UUWLD} reason after {@code AT+UWSCA=<id>,4} ("network disabled"). */
    static final int REASON_NETWORK_DISABLED = 5;
    /** The simulated access point's BSSID and channel (§4X format: 12 hex digits). */
    static final String AP_BSSID = "FAAC838145DA";
    static final int AP_CHANNEL = 1;
    /** UNCONFIRMED: time to associate ({@code +UUWLE}) and to get a DHCP lease ({@code +UUNU}), each plus one RTT. */
    static final int ASSOCIATE_MILLIS = 20;
    static final int DHCP_MILLIS = 20;
    /** After a link loss (fault) the station joins again by itself after this long ({@link #linkRestoreMillis}). */
    static final int LINK_RESTORE_MILLIS = 500;
    /** The DHCP lease the station gets (made up). */
    public static final String DHCP_ADDRESS = "192.168.1.10";
    static final String SUBNET_MASK = "255.255.255.0";
    static final String GATEWAY = "192.168.1.1";
    static final String DNS1 = "192.168.1.1";
    static final String DNS2 = "0.0.0.0";
    /** {@code AT+UWSSTAT=6}: RSSI in dBm while connected, and (UNCONFIRMED) what it reports otherwise. */
    static final int RSSI = -40;
    static final int RSSI_UNKNOWN = -32768;

    // ---- peers and EDM (§4B, §4C) ----
    /** UNCONFIRMED: peer handles start at 1 (the reference's examples show {@code +UDCP:1}), lowest free first. */
    static final int FIRST_PEER_HANDLE = 1;
    /** UNCONFIRMED: EDM channels start at 0, lowest free first, so a peer's channel is not its handle (§4C). */
    static final int FIRST_CHANNEL = 0;
    /** UNCONFIRMED: the module enters EDM with a start event (0x71) right after {@code ATO2}'s {@code OK}. */
    static final boolean START_EVENT_ON_EDM_ENTRY = true;
    /** UNCONFIRMED: most bytes per data event the module sends (ubxlib's IP MTU, {@code 635}, §4C). */
    static final int DATA_EVENT_MAX = 635;
    /**
     * UNCONFIRMED: data events the module has handed to its UART and not yet sent. The module keeps each peer's received
     * data with that peer (its receive window) and feeds the UART one data event at a time, peers taking turns, so
     * peers receiving at once share the line; a module that copied whole windows into one UART queue would deliver
     * them one after the other.
     */
    static final int UART_QUEUE_EVENTS = 2;
    /** How much the module reads from a peer's TCP connection at once. */
    static final int NETWORK_READ_CHUNK = 4096;
    /** UNCONFIRMED: a peer's send buffer; a full one holds the host back (flow control), nothing is refused. */
    static final int SEND_BUFFER = 8 * 1024;
    /** UNCONFIRMED: unread bytes the module holds for a peer before its TCP window closes. */
    static final int RECEIVE_WINDOW = 8 * 1024;

    // ---- PPP (§4E, §4X) ----
    /** §4X: {@code AT+UPPPC} tags with an IPv4 value (101 address, 102 mask, 104/105 DNS). */
    static final Set<Integer> PPP_ADDRESS_TAGS = Set.of(101, 102, 104, 105);
    /** §4X: tag 107 takes a number (meaning UNCONFIRMED). */
    static final Set<Integer> PPP_NUMBER_TAGS = Set.of(107);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Settings the simulator accepts and ignores. */
    private static final Set<String> ACCEPTED = Set.of("&W", "&F", "Z", "+UMRS", "+UFACTORY", "+UMLA", "+UDSF",
            "+UBTLE", "+UBTDM", "+UBTCM", "+UBTPM", "&K", "&D", "&S", "+UMSM");

    private final NinaModel model;
    private ModemContext ctx;
    private NinaWifi wifi;
    private NinaPeers peers;
    private final Map<Integer, String> ppp = new HashMap<>();
    private final AtomicLong pppBytesFromHost = new AtomicLong();
    private volatile Consumer<byte[]> pppEndpoint;

    /** The NINA-W13x ({@code nina-w}). */
    public NinaDialect() {
        this(NinaModel.NINA_W13);
    }

    public NinaDialect(NinaModel model) {
        this.model = Objects.requireNonNull(model);
    }

    @Override
    public String name() {
        return model.dialectName();
    }

    public NinaModel model() {
        return model;
    }

    NinaWifi wifi() {
        return wifi;
    }

    @Override
    public void bind(ModemContext context) {
        this.ctx = context;
        this.wifi = new NinaWifi(this, context);
        this.peers = new NinaPeers(this, context);
    }

    @Override
    public int defaultCmeeMode() {
        return DEFAULT_CMEE;
    }

    // ---- test controls (sim.control(NinaDialect.class, d -> ...)) ----

    /** The RSSI {@code AT+UWSSTAT=6} reports while connected. */
    public void rssi(int dbm) {
        wifi.rssi(dbm);
    }

    /** After a link loss the station joins again after {@code ms} (default 500); negative: only on {@link #restoreLink()}. */
    public void linkRestoreMillis(int ms) {
        wifi.restoreMillis(ms);
    }

    /** The access point is back: a station that lost it joins now. */
    public void restoreLink() {
        wifi.restore();
    }

    /** Cuts peer data to the host into data events of at most {@code max} bytes (default 635). */
    public void dataEventMax(int max) {
        peers.dataEventMax(max);
    }

    /** Open peers (connecting or connected). */
    public int peerCount() {
        return peers.count();
    }

    /** The line's mode: COMMAND, EDM (after {@code ATO2}) or RAW (PPP, after {@code ATO3}). */
    public HostMode hostMode() {
        return ctx.hostMode();
    }

    /** An {@code AT+UPPPC} setting, or null. */
    public String pppSetting(int tag) {
        return ppp.get(tag);
    }

    /**
     * The PPP seam: after {@code ATO3}, every byte the host sends goes to {@code endpoint} (on the simulator's input
     * thread, without the lock). Null (the default) counts and drops them ({@link #pppBytesFromHost()}).
     */
    public void pppEndpoint(Consumer<byte[]> endpoint) {
        this.pppEndpoint = endpoint;
    }

    /** The other half of the PPP seam: raw bytes to the host (only while the line is in PPP mode). */
    public void sendPpp(byte[] bytes) {
        if (ctx.hostMode() != HostMode.RAW) {
            throw new IllegalStateException("the line is not in PPP mode (ATO3)");
        }
        ctx.emit(bytes.clone());
    }

    public long pppBytesFromHost() {
        return pppBytesFromHost.get();
    }

    // ---- state shared by the parts ----

    /** The network went down (fault or host): every peer ends. */
    void networkLost() {
        peers.networkLost();
    }

    // ---- power ----

    @Override
    public void powerOn() {
        ppp.clear();
        ctx.urc(STARTUP_URC);
        wifi.powerOn();
    }

    @Override
    public void powerOff() {
        peers.reset();
        wifi.powerOff();
    }

    // ---- faults ----

    /** The access point goes away: {@code +UUWLD}, {@code +UUND}, every peer closed; it comes back by itself. */
    @Override
    public void bearerLoss() {
        wifi.linkLost();
    }

    /** The remote end of peer {@code handle} closes: disconnect event and {@code +UUDPD:<handle>}. */
    @Override
    public boolean remoteClose(int handle) {
        return peers.remoteClose(handle);
    }

    // ---- commands ----

    @Override
    public void handle(AtCommand c, Reply r) {
        switch (c.name()) {
            case "" -> r.ok();
            case "E" -> CommonCommands.echo(ctx, c, r);
            case "V" -> {
                if (c.argCount() == 0 || c.arg(0).equals("1")) {
                    r.ok();
                } else {
                    r.error();   // numeric result codes (ATV0) are not simulated
                }
            }
            case "+CMEE" -> CommonCommands.cmee(ctx, c, r);
            case "I" -> ati(c, r);
            case "+GMI", "+CGMI" -> info(c, r, MANUFACTURER);
            case "+GMM", "+CGMM" -> info(c, r, model.model());
            case "+GMR", "+CGMR" -> info(c, r, model.revision());
            case "+GSN", "+CGSN" -> info(c, r, model.serial());
            case "+UWAPMACADDR" -> info(c, r, "+UWAPMACADDR:" + model.macAddress());
            case "+CPWROFF" -> r.ok().then(ctx::reboot);   // UNCONFIRMED: gen1 restarts on CPWROFF
            case "+UWSC" -> wifi.uwsc(c, r);
            case "+UWSCA" -> wifi.uwsca(c, r);
            case "+UWSSTAT" -> wifi.uwsstat(c, r);
            case "+UNSTAT" -> wifi.unstat(c, r);
            case "+UDCP" -> peers.udcp(c, r);
            case "+UDCPC" -> peers.udcpc(c, r);
            case "+UDLP" -> peers.udlp(c, r);
            case "+UPPPC" -> upppc(c, r);
            case "O" -> ato(c, r);
            default -> {
                if (ACCEPTED.contains(c.name())) {
                    r.ok();
                } else {
                    r.error();
                }
            }
        }
    }

    private static void info(AtCommand c, Reply r, String value) {
        if (c.form() == Form.TEST) {
            r.ok();
        } else {
            r.line(value).ok();
        }
    }

    /** {@code ATI0} type code, {@code ATI9} application version (UNCONFIRMED texts). */
    private void ati(AtCommand c, Reply r) {
        String n = c.argCount() == 0 ? "0" : c.arg(0);
        switch (n) {
            case "0" -> r.line(model.typeCode()).ok();
            case "9" -> r.line(model.ati9()).ok();
            default -> r.error();
        }
    }

    /** {@code ATO<n>}: 2 EDM, 3 PPP, 0 (or none) back to command mode; 1 (transparent) is not simulated. */
    private void ato(AtCommand c, Reply r) {
        String n = c.argCount() == 0 ? "0" : c.arg(0);
        switch (n) {
            case "2" -> r.ok().then(this::enterEdm);
            case "3" -> r.ok().then(this::enterPpp);
            case "0" -> r.ok().then(this::enterCommandMode);   // UNCONFIRMED numbering (§4C)
            default -> r.error();
        }
    }

    private void enterEdm() {
        if (ctx.hostMode() == HostMode.EDM) {
            return;
        }
        ctx.framedMode(new NinaEdm(peers));
        if (START_EVENT_ON_EDM_ENTRY) {
            ctx.emit(EdmFrame.at(EdmFrame.START_EVENT, new byte[0]).encode());
        }
        peers.edmEntered();
    }

    private void enterPpp() {
        peers.edmLeft();
        ctx.rawMode(bytes -> {
            pppBytesFromHost.addAndGet(bytes.length);
            Consumer<byte[]> e = pppEndpoint;
            if (e != null) {
                e.accept(bytes);
            }
        });
    }

    private void enterCommandMode() {
        peers.edmLeft();
        ctx.commandMode();
    }

    /** {@code AT+UPPPC=<tag>,<value>} (§4X) and {@code AT+UPPPC=<tag>} to read one back. */
    private void upppc(AtCommand c, Reply r) {
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        int tag = c.intArg(0);
        boolean address = PPP_ADDRESS_TAGS.contains(tag);
        if (!address && !PPP_NUMBER_TAGS.contains(tag)) {
            r.error();
            return;
        }
        if (c.argCount() == 1) {
            String v = ppp.get(tag);
            r.line("+UPPPC:" + tag + "," + (v == null ? (address ? "0.0.0.0" : "0") : v)).ok();
            return;
        }
        String v = c.arg(1);
        if (address ? !IPV4.matcher(v).matches() : !v.matches("\\d{1,5}")) {
            r.error();
            return;
        }
        ppp.put(tag, v);
        r.ok();
    }
}
