package dev.atmodem.testkit.junit;

import dev.atmodem.link.SerialLink;
import dev.atmodem.testkit.RawHost;
import dev.atmodem.testkit.sim.LinkConditions;
import dev.atmodem.testkit.sim.ModemSimulator;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** Backs {@link SimulatedModem}: one simulator per test, created on first injection, closed after the test. */
public final class SimulatedModemExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SimulatedModemExtension.class);

    /** The simulator and its host side, closed together by JUnit when the test's store closes. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final ModemSimulator sim;
        final SerialLink link;
        private RawHost raw;

        Running(ModemSimulator sim) {
            this.sim = sim;
            this.link = sim.connectPipe();
        }

        /** Created on demand: a RawHost reads the link, so code that reads the link itself must not get one. */
        synchronized RawHost raw() {
            if (raw == null) {
                raw = new RawHost(link);
            }
            return raw;
        }

        @Override
        public void close() throws java.io.IOException {
            if (raw != null) {
                raw.close();
            }
            link.close();
            sim.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        return t == ModemSimulator.class || t == SerialLink.class || t == RawHost.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        if (ec.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("@SimulatedModem injects into test methods, @BeforeEach and"
                    + " @AfterEach only (one simulator per test)");
        }
        Running r = ec.getStore(NS).getOrComputeIfAbsent(Running.class, k -> new Running(create(ec)),
                Running.class);
        Class<?> t = pc.getParameter().getType();
        if (t == ModemSimulator.class) {
            return r.sim;
        }
        return t == RawHost.class ? r.raw() : r.link;
    }

    private static ModemSimulator create(ExtensionContext ec) {
        SimulatedModem a = find(ec).orElseThrow(() -> new ParameterResolutionException(
                "no @SimulatedModem on " + ec.getDisplayName() + " or its class"));
        LinkConditions c = new LinkConditions(a.baud(), a.fragmentMax() > 0 ? a.fragmentMin() : 0, a.fragmentMax(),
                a.rttMillis(), a.seed());
        ModemSimulator.Builder b = ModemSimulator.builder(a.dialect()).conditions(c)
                .accessPoint(a.wifiSsid(), a.wifiPassphrase());
        if (!a.pin().isEmpty()) {
            b.pin(a.pin());
        }
        ModemSimulator sim = b.build();
        for (String n : a.names()) {
            String[] kv = n.split("=", 2);
            if (kv.length != 2) {
                sim.close();
                throw new ParameterResolutionException("@SimulatedModem names wants host=ip, got " + n);
            }
            sim.names().put(kv[0].trim(), kv[1].trim());
        }
        return sim;
    }

    private static Optional<SimulatedModem> find(ExtensionContext ec) {
        Optional<SimulatedModem> onMethod = ec.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, SimulatedModem.class));
        if (onMethod.isPresent()) {
            return onMethod;
        }
        for (Optional<Class<?>> c = ec.getTestClass(); c.isPresent(); c = Optional.ofNullable(
                c.get().getEnclosingClass())) {
            Optional<SimulatedModem> a = AnnotationSupport.findAnnotation(c.get(), SimulatedModem.class);
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }
}
