package dev.atmodem.testkit.sim.sim800;

import dev.atmodem.testkit.sim.AtCommand;
import dev.atmodem.testkit.sim.AtCommand.Form;
import dev.atmodem.testkit.sim.ModemContext;
import dev.atmodem.testkit.sim.Reply;
import java.util.List;
import java.util.Optional;

/**
 * The SIM800 IP application state machine (AT-REFERENCE §2A): {@code AT+CSTT} moves IP INITIAL to IP START,
 * {@code AT+CIICR} IP START to IP GPRSACT, {@code AT+CIFSR} IP GPRSACT to IP STATUS; {@code AT+CIPSTART} needs IP
 * STATUS (reported as IP PROCESSING while a connection is in use); {@code AT+CIPSHUT} goes back to IP INITIAL from
 * any state; a dropped bearer ({@code +PDP: DEACT}) leaves PDP DEACT until {@code AT+CIPSHUT}.
 */
final class Sim800Ip {

    /** The multi-IP states; {@link #IP_PROCESSING} is derived, never stored. */
    enum State {
        IP_INITIAL("IP INITIAL"), IP_START("IP START"), IP_CONFIG("IP CONFIG"), IP_GPRSACT("IP GPRSACT"),
        IP_STATUS("IP STATUS"), IP_PROCESSING("IP PROCESSING"), PDP_DEACT("PDP DEACT");

        final String text;

        State(String text) {
            this.text = text;
        }
    }

    private final Sim800Dialect modem;
    private final ModemContext ctx;
    private final Sim800Sockets sockets;
    private State state = State.IP_INITIAL;
    private boolean mux;
    private String apn = "";
    private String user = "";
    private String password = "";
    private String localAddress = "10.0.0.2";

    Sim800Ip(Sim800Dialect modem, ModemContext ctx, Sim800Sockets sockets) {
        this.modem = modem;
        this.ctx = ctx;
        this.sockets = sockets;
    }

    void localAddress(String address) {
        this.localAddress = address;
    }

    /** Power-off: everything back to defaults (CIPMUX=0, IP INITIAL). */
    void reset() {
        sockets.powerOff();
        state = State.IP_INITIAL;
        mux = false;
        apn = "";
        user = "";
        password = "";
    }

    boolean mux() {
        return mux;
    }

    /** The state as {@code AT+CIPSTATUS} reports it. */
    State state() {
        return state == State.IP_STATUS && sockets.anyInUse() ? State.IP_PROCESSING : state;
    }

    /** True when {@code AT+CIPSTART} may run: IP STATUS or IP PROCESSING (multi-IP, §2A). */
    boolean canStart() {
        return state == State.IP_STATUS;
    }

    /** The context is up (GPRSACT, STATUS or PROCESSING). */
    boolean contextActive() {
        return state == State.IP_GPRSACT || state == State.IP_STATUS;
    }

    /** Fault: the network drops the bearer: {@code +PDP: DEACT}, every connection gone, state PDP DEACT. */
    void bearerLost() {
        if (!contextActive()) {
            return;
        }
        sockets.bearerLost();
        state = State.PDP_DEACT;
        ctx.urc("+PDP: DEACT");
    }

    /** Radio off or detach asked by the host: the context and connections go without URCs. */
    void radioOff() {
        if (contextActive()) {
            sockets.reset();
            state = State.PDP_DEACT;
        }
    }

    void handle(AtCommand c, Reply r) {
        switch (c.name()) {
            case "+CIPSHUT" -> cipshut(c, r);
            case "+CIPMUX" -> cipmux(c, r);
            case "+CSTT" -> cstt(c, r);
            case "+CIICR" -> ciicr(c, r);
            case "+CIFSR" -> cifsr(c, r, false);
            case "+CIPSTATUS" -> cipstatus(c, r);
            case "+CDNSGIP" -> cdnsgip(c, r);
            default -> r.error();
        }
    }

    private void cipshut(AtCommand c, Reply r) {
        if (c.form() == Form.TEST) {
            r.ok();
            return;
        }
        if (c.form() != Form.EXEC) {
            r.error();
            return;
        }
        sockets.reset();
        state = State.IP_INITIAL;
        r.line("SHUT OK");
    }

    private void cipmux(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+CIPMUX: " + (mux ? 1 : 0)).ok();
            case TEST -> r.line("+CIPMUX: (0,1)").ok();
            case SET -> {
                int m = c.intArg(0, 0, 1);
                if (state != State.IP_INITIAL) {
                    if (Sim800Dialect.CIPMUX_OUTSIDE_INITIAL_IS_ERROR) {
                        r.error();
                    } else {
                        r.ok();
                    }
                    return;
                }
                mux = m == 1;
                r.ok();
            }
            default -> r.error();
        }
    }

    private void cstt(AtCommand c, Reply r) {
        switch (c.form()) {
            case READ -> r.line("+CSTT: \"" + apn + "\",\"" + user + "\",\"" + password + "\"").ok();
            case TEST -> r.line("+CSTT: \"APN\",\"USER\",\"PWD\"").ok();
            case SET, EXEC -> {
                String a = c.form() == Form.SET ? c.stringArg(0) : "";
                String u = c.hasArg(1) ? c.stringArg(1) : "";
                String p = c.hasArg(2) ? c.stringArg(2) : "";
                if (state != State.IP_INITIAL) {
                    r.error();
                    return;
                }
                apn = a;
                user = u;
                password = p;
                state = State.IP_START;
                r.ok();
            }
            default -> r.error();
        }
    }

    private void ciicr(AtCommand c, Reply r) {
        if (c.form() == Form.TEST) {
            r.ok();
            return;
        }
        if (c.form() != Form.EXEC || state != State.IP_START) {
            r.error();
            return;
        }
        // bringing up GPRS is a network procedure: a round trip, during which the network may send its time
        state = State.IP_CONFIG;
        long gen = modem.generation;
        long total = (long) ctx.conditions().rttMillis() * Sim800Dialect.CIICR_ROUND_TRIPS;
        long half = total / 2;
        r.pause(half).then(() -> {
            if (gen == modem.generation) {
                modem.time().nitzOnActivation();
            }
        }).pause(total - half);
        if (!modem.attached()) {
            r.then(() -> {
                if (gen == modem.generation && state == State.IP_CONFIG) {
                    state = Sim800Dialect.CIICR_FAILURE_STATE;
                }
            }).error();
            return;
        }
        r.then(() -> {
            if (gen == modem.generation && state == State.IP_CONFIG) {
                state = State.IP_GPRSACT;
            }
        }).ok();
    }

    /** {@code AT+CIFSR}: the bare address and no final result; {@code AT+CIFSR;E0} adds the {@code E0}'s OK. */
    void cifsr(AtCommand c, Reply r, boolean thenE0) {
        if (c.form() == Form.TEST) {
            r.ok();
            return;
        }
        if (c.form() != Form.EXEC || !contextActive()) {
            r.error();
            return;
        }
        if (state == State.IP_GPRSACT) {
            state = State.IP_STATUS;
        }
        r.line(localAddress);
        if (thenE0) {
            ctx.echo(false);
            r.ok();
        }
    }

    private void cipstatus(AtCommand c, Reply r) {
        switch (c.form()) {
            case EXEC -> {
                // the final result comes first, the state after it (§2B)
                r.ok().line("STATE: " + state().text);
                if (mux) {
                    for (int n = 0; n < Sim800Dialect.SOCKETS; n++) {
                        r.line("C: " + sockets.statusFields(n));
                    }
                }
            }
            case SET -> {
                if (!mux) {
                    r.error();
                    return;
                }
                int n = c.intArg(0, 0, Sim800Dialect.SOCKETS - 1);
                r.line("+CIPSTATUS: " + sockets.statusFields(n)).ok();
            }
            case TEST -> r.ok();
            default -> r.error();
        }
    }

    private void cdnsgip(AtCommand c, Reply r) {
        if (c.form() == Form.TEST) {
            r.ok();
            return;
        }
        if (c.form() != Form.SET) {
            r.error();
            return;
        }
        String host = c.stringArg(0);
        if (Sim800Dialect.CDNSGIP_NEEDS_CONTEXT && !contextActive()) {
            r.error();
            return;
        }
        long gen = modem.generation;
        r.ok().then(() -> ctx.schedule(ctx.conditions().rttMillis(), () -> {
            if (gen != modem.generation) {
                return;
            }
            Optional<List<String>> ips = ctx.names().resolve(host);
            if (ips.isEmpty()) {
                ctx.urc("+CDNSGIP: 0," + Sim800Dialect.DNS_ERROR);
                return;
            }
            StringBuilder b = new StringBuilder("+CDNSGIP: 1,\"").append(host).append('"');
            for (String a : ips.get().subList(0, Math.min(2, ips.get().size()))) {
                b.append(",\"").append(a).append('"');
            }
            ctx.urc(b.toString());
        }));
    }
}
