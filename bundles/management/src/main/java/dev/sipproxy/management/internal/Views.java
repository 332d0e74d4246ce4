package dev.sipproxy.management.internal;

import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.ProxyStatistics;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.transport.ListeningPointInfo;
import dev.sipproxy.api.transport.SipTransport;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.osgi.service.cm.Configuration;

/**
 * The JSON documents of the management API, built from whatever services are there right now. A
 * missing service shows as {@code "available": false} (and empty data), never as an error.
 */
public final class Views {
    /** Configuration keys whose values are never shown. */
    static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|passwd|secret|token|credential|private[-_.]?key|keystore).*");
    private static volatile String hostname;

    private Views() {
    }

    /** This host's name (looked up once), as part of the instance identity. */
    public static String hostname() {
        String h = hostname;
        if (h == null) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                h = System.getenv().getOrDefault("HOSTNAME", "localhost");
            }
            hostname = h;
        }
        return h;
    }

    /** The SIP port of this instance: UDP's, else TCP's, else the first listening point's; -1 without transport. */
    public static int sipPort(SipTransport transport) {
        if (transport == null) {
            return -1;
        }
        for (SipTransportType t : List.of(SipTransportType.UDP, SipTransportType.TCP)) {
            int p = transport.port(t);
            if (p > 0) {
                return p;
            }
        }
        List<ListeningPointInfo> lps = transport.listeningPoints();
        return lps.isEmpty() ? -1 : lps.get(0).port();
    }

    /** {@code hostname:sipPort}, or just the host name when the SIP stack is not running. */
    public static String instanceId(SipTransport transport) {
        int port = sipPort(transport);
        return port > 0 ? hostname() + ":" + port : hostname();
    }

    public static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    public static long startTimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    public static String role(MemberState m) {
        return m.role().name().toLowerCase(Locale.ROOT);
    }

    /** One word for a member: {@code up}, {@code down}, {@code out-of-service} (operator), {@code unresolved}. */
    public static String state(MemberState m) {
        if (m.adminDown()) {
            return "out-of-service";
        }
        if (m.ip() == null) {
            return "unresolved";
        }
        return m.up() ? "up" : "down";
    }

    static String status(String version, SipTransport transport, SipServerPairs pairs, AlarmService alarms) {
        Json j = new Json().object();
        j.field("product", "sip-proxy").field("version", version);
        j.field("startedAt", startTimeMillis()).field("uptimeMillis", uptimeMillis());
        j.name("instance").object()
                .field("hostname", hostname())
                .field("sipPort", sipPort(transport))
                .field("id", instanceId(transport))
                .end();
        j.name("transport").object().field("available", transport != null).end();
        j.name("listeningPoints").array();
        if (transport != null) {
            for (ListeningPointInfo lp : transport.listeningPoints()) {
                j.object().field("transport", lp.transport().token()).field("address", lp.address())
                        .field("port", lp.port()).end();
            }
        }
        j.end();
        if (pairs != null) {
            List<PairState> ps = pairs.pairs();
            j.field("pairs", ps.size()).field("pairsInService", ps.stream().filter(PairState::inService).count());
        } else {
            j.nullValue("pairs").nullValue("pairsInService");
        }
        if (alarms != null) {
            j.field("alarmsActive", alarms.active().size());
        } else {
            j.nullValue("alarmsActive");
        }
        return j.end().toString();
    }

    static String servers(SipServerPairs pairs) {
        Json j = new Json().object().field("available", pairs != null).name("pairs").array();
        if (pairs != null) {
            for (PairState p : pairs.pairs()) {
                pair(j, p);
            }
        }
        return j.end().end().toString();
    }

    static String pair(PairState p) {
        Json j = new Json();
        pair(j, p);
        return j.toString();
    }

    private static void pair(Json j, PairState p) {
        j.object().field("name", p.pair().name()).field("transport", p.pair().transport().token())
                .field("inService", p.inService());
        if (p.active().isPresent()) {
            j.field("active", p.active().get().name().toLowerCase(Locale.ROOT));
        } else {
            j.nullValue("active");
        }
        j.name("members").array();
        for (MemberState m : p.members()) {
            j.object().field("role", role(m)).field("address", m.address().toString())
                    .field("ip", m.ip()).field("up", m.up()).field("adminDown", m.adminDown())
                    .field("usable", m.usable()).field("state", state(m))
                    .field("active", p.active().map(a -> a == m.role()).orElse(false))
                    .field("lastResponseMillis", m.lastResponseMillis()).field("lastStatusCode", m.lastStatusCode())
                    .field("consecutiveFailures", m.consecutiveFailures()).end();
        }
        j.end().end();
    }

    static String alarms(AlarmService alarms) {
        Json j = new Json().object().field("available", alarms != null);
        j.name("active").array();
        if (alarms != null) {
            alarms.active().forEach(a -> alarm(j, a));
        }
        j.end().name("history").array();
        if (alarms != null) {
            alarms.history().forEach(a -> alarm(j, a));
        }
        return j.end().end().toString();
    }

    private static void alarm(Json j, Alarm a) {
        j.object().field("id", a.id()).field("eventId", a.eventId()).field("event", a.event() == null ? "" : a.event().name())
                .field("severity", a.severity().name()).field("subject", a.subject()).field("text", a.text())
                .field("firstSeen", a.firstSeen()).field("lastSeen", a.lastSeen()).field("count", a.count())
                .field("clearedAt", a.clearedAt()).field("active", a.active()).end();
    }

    static String stats(ProxyStatistics proxy, AdmissionStatistics admission) {
        Json j = new Json().object().field("timestamp", System.currentTimeMillis());
        j.name("proxy").object().field("available", proxy != null);
        if (proxy != null) {
            j.field("requestsReceived", new TreeMap<>(proxy.requestsReceived()))
                    .field("responsesSent", new TreeMap<>(proxy.responsesSent()))
                    .field("callsInProgress", proxy.callsInProgress())
                    .field("rejections", new TreeMap<>(proxy.rejections()))
                    .field("failovers", proxy.failovers());
        }
        j.end();
        j.name("admission").object().field("available", admission != null);
        if (admission != null) {
            j.field("admittedDialogs", admission.admittedDialogs()).field("rejectedDialogs", admission.rejectedDialogs())
                    .field("overloaded", admission.overloaded()).field("dialogRateLimit", admission.dialogRateLimit())
                    .field("behind", admission.behind()).field("adaptiveRateLimit", admission.adaptiveRateLimit())
                    .field("receiveBacklogMillis", admission.receiveBacklogMillis());
        }
        return j.end().end().toString();
    }

    /** The {@code dev.sipproxy.*} configurations, with the values of secret-looking keys masked. */
    static String config(Configuration[] configs) {
        Map<String, Configuration> byPid = new TreeMap<>();
        if (configs != null) {
            for (Configuration c : configs) {
                byPid.put(c.getPid(), c);
            }
        }
        Json j = new Json().object().name("configurations").array();
        for (Configuration c : byPid.values()) {
            j.object().field("pid", c.getPid());
            if (c.getFactoryPid() != null) {
                j.field("factoryPid", c.getFactoryPid());
            } else {
                j.nullValue("factoryPid");
            }
            j.name("properties").object();
            Dictionary<String, Object> props = c.getProperties();
            Map<String, Object> sorted = new TreeMap<>();
            if (props != null) {
                for (Enumeration<String> e = props.keys(); e.hasMoreElements(); ) {
                    String k = e.nextElement();
                    if (k.startsWith("service.") || k.startsWith("felix.fileinstall.")) {
                        continue;
                    }
                    sorted.put(k, SECRET_KEY.matcher(k).matches() ? "********" : props.get(k));
                }
            }
            sorted.forEach(j::field);
            j.end().end();
        }
        return j.end().end().toString();
    }
}
