package dev.sipproxy.pool.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host spellings and name resolution, behind an interface so that tests need no DNS. */
final class Hosts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Resolves a host name to its IP addresses. */
    @FunctionalInterface
    interface Resolver {
        List<String> resolve(String host) throws UnknownHostException;

        /** The system resolver (DNS, /etc/hosts). */
        Resolver SYSTEM = host -> {
            InetAddress[] all = InetAddress.getAllByName(host);
            String[] out = new String[all.length];
            for (int i = 0; i < all.length; i++) {
                out[i] = normalize(all[i].getHostAddress());
            }
            return List.of(out);
        };
    }

    private Hosts() {
    }

    /** True for an IPv4 or IPv6 literal (which resolves to itself, without DNS). */
    static boolean isLiteral(String host) {
        String h = strip(host);
        return IPV4.matcher(h).matches() || h.indexOf(':') >= 0;
    }

    /**
     * One spelling per host: names lower-case, IPv6 literals without brackets or zone in Java's
     * full form (so {@code [::1]} and {@code 0:0:0:0:0:0:0:1} are equal). No DNS.
     */
    static String normalize(String host) {
        String h = strip(host);
        if (h.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName(h).getHostAddress(); // a literal: parsed, not looked up
            } catch (UnknownHostException e) {
                return h.toLowerCase(Locale.ROOT);
            }
        }
        return h.toLowerCase(Locale.ROOT);
    }

    private static String strip(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int zone = h.indexOf('%');
        return zone >= 0 ? h.substring(0, zone) : h;
    }
}
