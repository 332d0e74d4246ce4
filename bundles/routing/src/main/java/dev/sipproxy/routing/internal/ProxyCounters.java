package dev.sipproxy.routing.internal;

import dev.sipproxy.api.ProxyStatistics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The proxy core's traffic counters. Counting costs a map lookup and a {@link LongAdder} increment:
 * no lock, no allocation for the usual methods and codes.
 */
final class ProxyCounters implements ProxyStatistics {
    private static final String[] METHODS = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "SUBSCRIBE",
        "NOTIFY", "REFER", "INFO", "UPDATE", "PRACK", "MESSAGE", "PUBLISH"};
    private static final String OTHER = "OTHER";

    private final Map<String, LongAdder> requests = new LinkedHashMap<>();
    private final LongAdder[] responseClasses = new LongAdder[7];
    private final ConcurrentHashMap<Integer, LongAdder> rejections = new ConcurrentHashMap<>();
    private final LongAdder failovers = new LongAdder();
    private final LongSupplier inProgress;

    ProxyCounters(LongSupplier inProgress) {
        this.inProgress = inProgress;
        for (String m : METHODS) {
            requests.put(m, new LongAdder());
        }
        requests.put(OTHER, new LongAdder());
        for (int i = 1; i < responseClasses.length; i++) {
            responseClasses[i] = new LongAdder();
        }
    }

    void requestReceived(String method) {
        LongAdder a = requests.get(method);
        (a != null ? a : requests.get(OTHER)).increment();
    }

    void responseSent(int statusCode) {
        int c = statusCode / 100;
        if (c >= 1 && c <= 6) {
            responseClasses[c].increment();
        }
    }

    void rejected(int statusCode) {
        rejections.computeIfAbsent(statusCode, k -> new LongAdder()).increment();
    }

    void failover() {
        failovers.increment();
    }

    /** The counts, to be handed over to the next start of the routing bundle. */
    Properties save() {
        Properties p = new Properties();
        requests.forEach((m, a) -> p.setProperty("request." + m, Long.toString(a.sum())));
        for (int i = 1; i < responseClasses.length; i++) {
            p.setProperty("response." + i + "xx", Long.toString(responseClasses[i].sum()));
        }
        rejections.forEach((code, a) -> p.setProperty("rejection." + code, Long.toString(a.sum())));
        p.setProperty("failovers", Long.toString(failovers.sum()));
        return p;
    }

    /** Continues from counts an earlier start saved; unknown or unreadable entries are skipped. */
    void restore(Properties p) {
        for (String key : p.stringPropertyNames()) {
            long value;
            try {
                value = Long.parseLong(p.getProperty(key));
            } catch (NumberFormatException e) {
                continue;
            }
            if (key.startsWith("request.")) {
                LongAdder a = requests.get(key.substring("request.".length()));
                if (a != null) {
                    a.add(value);
                }
            } else if (key.startsWith("response.") && key.endsWith("xx") && key.length() == "response.1xx".length()) {
                int c = key.charAt("response.".length()) - '0';
                if (c >= 1 && c <= 6) {
                    responseClasses[c].add(value);
                }
            } else if (key.startsWith("rejection.")) {
                try {
                    rejections.computeIfAbsent(Integer.parseInt(key.substring("rejection.".length())), k -> new LongAdder()).add(value);
                } catch (NumberFormatException e) {
                    // not a status code: skipped
                }
            } else if (key.equals("failovers")) {
                failovers.add(value);
            }
        }
    }

    @Override
    public Map<String, Long> requestsReceived() {
        Map<String, Long> out = new LinkedHashMap<>();
        requests.forEach((m, a) -> out.put(m, a.sum()));
        return out;
    }

    @Override
    public Map<String, Long> responsesSent() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 1; i < responseClasses.length; i++) {
            out.put(i + "xx", responseClasses[i].sum());
        }
        return out;
    }

    @Override
    public long callsInProgress() {
        return inProgress.getAsLong();
    }

    @Override
    public Map<Integer, Long> rejections() {
        Map<Integer, Long> out = new TreeMap<>();
        rejections.forEach((code, a) -> out.put(code, a.sum()));
        return out;
    }

    @Override
    public long failovers() {
        return failovers.sum();
    }
}
