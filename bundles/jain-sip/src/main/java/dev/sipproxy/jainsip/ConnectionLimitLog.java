package dev.sipproxy.jainsip;

import java.util.concurrent.ConcurrentHashMap;

import org.apache.log4j.Logger;

/** One line per remote IP and minute for connections refused over the per-address limit. */
final class ConnectionLimitLog {
    private static final Logger LOG = Logger.getLogger("dev.sipproxy.jainsip");
    private static final ConcurrentHashMap<String, Long> LAST = new ConcurrentHashMap<>();

    private ConnectionLimitLog() {
    }

    static void refused(String ip, int port) {
        long now = System.currentTimeMillis();
        Long last = LAST.get(ip);
        if (last != null && now - last < 60_000) {
            return;
        }
        if (LAST.size() > 10_000) {
            LAST.clear();
        }
        LAST.put(ip, now);
        LOG.warn("Connection from " + ip + " to port " + port + " refused: max-connections-per-address reached");
    }
}
