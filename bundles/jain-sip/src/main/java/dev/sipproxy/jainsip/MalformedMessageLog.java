package dev.sipproxy.jainsip;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.log4j.Logger;

/**
 * Logs refused messages once per reason and peer per minute, with how many were refused since, so
 * that a flood of bad input costs a few log lines and not one per message. The peer is the top Via
 * sent-by as written (the parser does not know the socket address).
 */
final class MalformedMessageLog {
    private static final Logger LOG = Logger.getLogger("dev.sipproxy.malformed");
    private static final long PERIOD_MILLIS = 60_000;
    private static final int MAX_KEYS = 10_000;
    private static final Pattern VIA = Pattern.compile("(?im)^(?:via|v)[ \\t]*:[^\\r\\n]*?/[ \\t]*(?:udp|tcp|tls|sctp)[ \\t]+([^\\s;,]{1,80})");

    /** Per key: when it was last logged, and how many were refused since. */
    private static final ConcurrentHashMap<String, long[]> LAST = new ConcurrentHashMap<>();

    private MalformedMessageLog() {
    }

    static void refused(String reason, byte[] msg) {
        log(reason, peer(msg));
    }

    /** A connection's stream that cannot be read as SIP messages from {@code peer} (its address) on. */
    static void refusedOnConnection(String reason, String peer) {
        log(reason + "; connection closed", peer);
    }

    private static void log(String reason, String peer) {
        String key = reason + "|" + peer;
        long now = System.currentTimeMillis();
        if (LAST.size() > MAX_KEYS) {
            LAST.clear();
        }
        long[] entry = LAST.computeIfAbsent(key, k -> new long[] {0, 0});
        long suppressed;
        synchronized (entry) {
            if (now - entry[0] < PERIOD_MILLIS) {
                entry[1]++;
                return;
            }
            suppressed = entry[1];
            entry[0] = now;
            entry[1] = 0;
        }
        LOG.warn("Malformed SIP message refused (" + reason + ") from " + peer
                + (suppressed > 0 ? "; " + suppressed + " more like it in the last minute" : ""));
    }

    private static String peer(byte[] msg) {
        String head = new String(msg, 0, Math.min(msg.length, 4096), StandardCharsets.ISO_8859_1);
        Matcher m = VIA.matcher(head);
        return m.find() ? m.group(1).replaceAll("[^\\x21-\\x7e]", "?") : "an unknown peer";
    }
}
