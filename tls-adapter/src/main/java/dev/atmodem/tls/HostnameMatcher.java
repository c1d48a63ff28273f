package dev.atmodem.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * RFC 6125 host name checking against a server certificate's subjectAltNames: DNS names with at most one wildcard as
 * the whole left-most label, IP addresses for IP literals. The subject CN is not used (browsers and OkHttp stopped
 * trusting it long ago), which keeps the rules the same everywhere.
 */
final class HostnameMatcher {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {
    }

    static boolean matches(String host, X509Certificate cert) {
        String h = normalise(host);
        boolean ip = isIpLiteral(h);
        for (List<?> san : sans(cert)) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (ip && type == SAN_IP && sameIp(h, value)) {
                return true;
            }
            if (!ip && type == SAN_DNS && dnsMatches(h, normalise(value))) {
                return true;
            }
        }
        return false;
    }

    /** The names a certificate is valid for, for error messages. */
    static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        for (List<?> san : sans(cert)) {
            out.add(String.valueOf(san.get(1)));
        }
        if (out.isEmpty()) {
            out.add("no subjectAltName at all, only the subject " + cert.getSubjectX500Principal().getName());
        }
        return out;
    }

    private static Collection<List<?>> sans(X509Certificate cert) {
        try {
            Collection<List<?>> s = cert.getSubjectAlternativeNames();
            return s == null ? List.of() : s;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static boolean dnsMatches(String host, String pattern) {
        if (!pattern.startsWith("*.")) {
            return host.equals(pattern);
        }
        String suffix = pattern.substring(1); // ".example.com"
        int dot = host.indexOf('.');
        // the wildcard stands for exactly one whole label, never for a public suffix like *.com
        return dot > 0 && host.substring(dot).equals(suffix) && suffix.indexOf('.', 1) > 0;
    }

    private static String normalise(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    private static boolean isIpLiteral(String h) {
        return h.matches("[0-9.]+") || h.contains(":");
    }

    private static boolean sameIp(String a, String b) {
        try {
            return java.util.Arrays.equals(java.net.InetAddress.getByName(a).getAddress(),
                    java.net.InetAddress.getByName(b).getAddress()); // literals only: no lookup happens
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
