package dev.atmodem.testkit.sim;

import dev.atmodem.testkit.sim.bg96.Bg96Dialect;
import dev.atmodem.testkit.sim.nina.NinaDialect;
import dev.atmodem.testkit.sim.nina.NinaModel;
import dev.atmodem.testkit.sim.sim800.Sim800Dialect;
import dev.atmodem.testkit.sim.ublox.SaraDialect;
import dev.atmodem.testkit.sim.ublox.SaraModel;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Known dialects by name. New modem families register here (or call {@link #register}). */
public final class Dialects {

    private static final Map<String, Supplier<Dialect>> REGISTRY = new ConcurrentHashMap<>();

    static {
        register("bg96", Bg96Dialect::new);
        register("sim800", Sim800Dialect::new);
        register("sara-r4", () -> new SaraDialect(SaraModel.R410M_02B));
        register("sara-r410m-01b", () -> new SaraDialect(SaraModel.R410M_01B));
        register("sara-r412m", () -> new SaraDialect(SaraModel.R412M_02B));
        register("sara-r5", () -> new SaraDialect(SaraModel.R510S));
        register("nina-w", () -> new NinaDialect(NinaModel.NINA_W13));
        register("odin-w2", () -> new NinaDialect(NinaModel.ODIN_W2));
    }

    private Dialects() {
    }

    public static void register(String name, Supplier<Dialect> factory) {
        REGISTRY.put(name.toLowerCase(Locale.ROOT), factory);
    }

    public static Dialect create(String name) {
        Supplier<Dialect> f = REGISTRY.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new IllegalArgumentException("unknown modem dialect '" + name + "'; known: " + names());
        }
        return f.get();
    }

    public static Set<String> names() {
        return new TreeSet<>(REGISTRY.keySet());
    }
}
