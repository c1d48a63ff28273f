package dev.atmodem.testing;

import dev.atmodem.ModemException;
import dev.atmodem.at.AtArgs;
import dev.atmodem.at.AtCommand;
import dev.atmodem.at.AtEngine;
import dev.atmodem.at.AtLine;
import dev.atmodem.at.AtResponse;
import dev.atmodem.at.Cancellation;
import dev.atmodem.at.FollowUp;
import dev.atmodem.at.PayloadRule;
import dev.atmodem.spi.Bearer;
import dev.atmodem.spi.DriverContext;
import dev.atmodem.spi.DriverSession;
import dev.atmodem.spi.ModelCapabilities;
import dev.atmodem.spi.ModemDriver;
import dev.atmodem.spi.ModemIdentity;
import dev.atmodem.spi.ReadChunk;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The scripted driver for {@link TestModem}'s TEST dialect, registered with ServiceLoader in test scope. */
public final class TestDriver implements ModemDriver {

    public static final ModelCapabilities CAPS = new ModelCapabilities("TM-1", Bearer.CELLULAR, 4,
            TestModem.MAX_SEND, TestModem.MAX_READ, false, true, false, false);

    private static final Pattern URC_ID = Pattern.compile("\\+TURC: \"(recv|closed)\",(\\d+)");
    private static final Pattern READ = Pattern.compile("\\+TREAD: (\\d+),(\\d+)");

    @Override
    public String name() {
        return "test";
    }

    @Override
    public Optional<ModelCapabilities> recognize(ModemIdentity identity) {
        return identity.mentions("Acme") ? Optional.of(CAPS) : Optional.empty();
    }

    @Override
    public DriverSession create(DriverContext ctx) {
        AtEngine at = ctx.at();
        at.addPayloadRule(PayloadRule.afterLine("\\+TREAD: (\\d+),\\d+", 1));
        at.onUrcRecord(l -> l.startsWith("+TURC:"), urc -> {
            Matcher m = URC_ID.matcher(urc.text());
            if (m.matches()) {
                int id = Integer.parseInt(m.group(2));
                if (m.group(1).equals("recv")) {
                    ctx.events().dataReady(id);
                } else {
                    ctx.events().remoteClosed(id);
                }
            }
        });
        at.onUrc(l -> l.equals("+TPDP: DEACT"), urc -> ctx.events().bearerLost(urc.text()));
        at.onUrc(l -> l.equals("RDY"), urc -> ctx.events().rebooted(urc.text()));
        return new Session(ctx);
    }

    private static final class Session implements DriverSession {
        private final DriverContext ctx;
        private final AtEngine at;
        private final BitSet used = new BitSet();

        Session(DriverContext ctx) {
            this.ctx = ctx;
            this.at = ctx.at();
        }

        @Override
        public void bringUp() throws IOException {
            at.execute("AT+CMEE=1");
        }

        @Override
        public void attach() {
            // the TEST dialect is always attached
        }

        @Override
        public int openTcp(String host, int port, Duration timeout, Cancellation cancel) throws IOException {
            int id;
            synchronized (used) {
                id = used.nextClearBit(0);
                while (id < CAPS.maxSockets() && !ctx.events().mayReuse(id)) {
                    id = used.nextClearBit(id + 1);
                }
                if (id >= CAPS.maxSockets()) {
                    throw new ModemException("no free socket id");
                }
                used.set(id);
            }
            try (FollowUp result = at.expectPrefix("+TOPEN: " + id + ",")) {
                at.execute(AtCommand.of("AT+TOPEN=" + id + "," + AtArgs.quoted("host", host) + "," + port).build(),
                        cancel);
                String err = result.next(timeout, cancel).after("+TOPEN: " + id + ",");
                if (!err.equals("0")) {
                    throw new ModemException("TCP connect to " + host + ":" + port + " failed on the modem (error "
                            + err + ")");
                }
                return id;
            } catch (IOException | RuntimeException e) {
                synchronized (used) {
                    used.clear(id);
                }
                throw e;
            }
        }

        @Override
        public int send(int id, byte[] b, int off, int len, Cancellation cancel) throws IOException {
            AtResponse r = at.execute(AtCommand.of("AT+TSEND=" + id + "," + len).payload(b, off, len)
                    .finalLine(l -> l.equals("SEND OK") || l.equals("SEND FAIL")).build(), cancel);
            return r.finalLine().equals("SEND OK") ? len : 0;
        }

        @Override
        public ReadChunk read(int id, int max) throws IOException {
            AtResponse r = at.execute(AtCommand.of("AT+TREAD=" + id + "," + max).expect("+TREAD:").build());
            AtLine l = r.line("+TREAD:");
            Matcher m = READ.matcher(l.text());
            if (!m.matches()) {
                throw new ModemException("unexpected read answer: " + l.text());
            }
            return new ReadChunk(l.payload(), Integer.parseInt(m.group(2)));
        }

        @Override
        public void close(int id) throws IOException {
            try {
                at.execute("AT+TCLOSE=" + id);
            } finally {
                synchronized (used) {
                    used.clear(id);
                }
            }
        }

        @Override
        public List<InetAddress> resolve(String host) throws IOException {
            try (FollowUp result = at.expectPrefix("+TDNS:")) {
                at.execute("AT+TDNS=" + AtArgs.quoted("host", host));
                String v = result.next(ctx.timeout("TDNS", Duration.ofSeconds(5))).after("+TDNS:");
                if (!v.startsWith("0,")) {
                    throw new ModemException("DNS lookup of '" + host + "' failed on the modem (error " + v + ")");
                }
                String ip = v.substring(3, v.length() - 1);
                return List.of(InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress()));
            }
        }
    }
}
