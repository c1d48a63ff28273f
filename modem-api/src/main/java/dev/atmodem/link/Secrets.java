package dev.atmodem.link;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets (PIN, passwords) that traces must never show. Whoever puts a secret into a command line registers it
 * here first; every trace renders through {@link #redact(String)}.
 */
public final class Secrets {

    public static final String MASK = "***";
    private final Set<String> values = ConcurrentHashMap.newKeySet();

    public void register(String secret) {
        if (secret != null && !secret.isEmpty()) {
            values.add(secret);
        }
    }

    public String redact(String text) {
        String out = text;
        for (String s : values) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }
}
