package dev.sipproxy.pool.internal;

import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.EventLog;
import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.ProxyPool;
import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.config.LastGoodConfig;
import dev.sipproxy.api.transport.ListeningPointInfo;
import dev.sipproxy.api.transport.OptionsProbe;
import dev.sipproxy.api.transport.SipTransport;

import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ProxyPool} service. At activation (which follows every restart of the SIP transport,
 * so the listening points are current) and at every configuration change it looks for this instance
 * in {@code proxy-instances}; while a list is configured that does not name it, the instance refuses
 * to route (event 40000, alarm {@value #ALARM_OWN_NOT_FOUND}). Every other instance of the list is
 * probed with OPTIONS each {@code peer-check} seconds; one that stops answering within
 * {@code peer-timeout} raises event 40002 and alarm {@value #ALARM_PEER_DISCONNECTED} once, and its
 * first answer after that clears the alarm. The instances share nothing else: the dialog's target
 * travels in the Record-Route, so any instance can take any in-dialog request.
 */
@Component(configurationPid = PoolMonitor.PID, immediate = true, service = ProxyPool.class)
@Designate(ocd = PoolConfig.class)
public class PoolMonitor implements ProxyPool {
    static final String PID = "dev.sipproxy.pool";
    /** Alarm raised while this instance is not in the instance list (subject {@code instance:LISTENING-POINT}). */
    public static final String ALARM_OWN_NOT_FOUND = "OWN_PROXY_ADDR_NOT_FOUND";
    /** Alarm raised while another instance does not answer (subject {@code instance:HOST:PORT}). */
    public static final String ALARM_PEER_DISCONNECTED = "OTHER_PROXY_INSTANCE_DISCONNECTED";
    private static final Logger LOG = LoggerFactory.getLogger(PoolMonitor.class);
    private static final long TICK_MILLIS = 100;

    /** What is known of whether another instance answers. */
    enum Reach { UNKNOWN, UP, DOWN }

    /** Another instance of the pool and its probe schedule. */
    static final class Peer {
        final HostPort address;
        volatile String ip;
        /** Guarded by the peer itself. */
        private Reach reach = Reach.UNKNOWN;
        volatile long lastResponseMillis;
        volatile long nextDue;
        volatile boolean inFlight;
        volatile boolean removed;

        Peer(HostPort address, String ip) {
            this.address = address;
            this.ip = ip;
        }

        synchronized Reach reach() {
            return reach;
        }

        /** Sets the reach and returns the previous one. */
        synchronized Reach reach(Reach next) {
            Reach before = reach;
            reach = next;
            return before;
        }

        String subject() {
            return "instance:" + address;
        }
    }

    /** What one configuration gives, replaced as a whole. */
    record View(PoolSettings settings, Set<HostPort> self, boolean routingAllowed, String ownSubject, Set<String> poolHosts) {
    }

    private final SipTransport transport;
    private final Hosts.Resolver resolver;
    private final ScheduledExecutorService timer;
    private final Map<HostPort, Peer> peers = new ConcurrentHashMap<>();
    private volatile View view;

    private volatile AlarmService alarms;

    @Activate
    public PoolMonitor(@Reference SipTransport transport, Map<String, Object> properties) {
        this(transport, Hosts.Resolver.SYSTEM, properties);
    }

    PoolMonitor(SipTransport transport, Hosts.Resolver resolver, Map<String, Object> properties) {
        this.transport = transport;
        this.resolver = resolver;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-proxy-pool");
            t.setDaemon(true);
            return t;
        });
        apply(parseOr(properties, PoolSettings.DEFAULTS));
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        View v = view;
        PoolSettings next = parseOr(properties, null);
        if (next != null) {
            apply(next);
        } else {
            LOG.debug("Pool configuration stays {}", v.settings());
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        peers.values().forEach(p -> p.removed = true);
        peers.clear();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindAlarms(AlarmService service) {
        alarms = service;
        // The alarm service comes after the constructor: clear what an earlier activation of this
        // component left and no longer holds, raise what is already wrong.
        View v = view;
        if (v != null) {
            clearStaleAlarms(v);
            if (!v.routingAllowed()) {
                service.raise(ALARM_OWN_NOT_FOUND, ProxyEvent.SPR_OWN_PROXY_ADDR_NOT_FOUND, v.ownSubject(), notFoundText(v));
            }
            for (Peer p : peers.values()) {
                if (p.reach() == Reach.DOWN) {
                    service.raise(ALARM_PEER_DISCONNECTED, ProxyEvent.SPR_OTHER_PROXY_INSTANCE_DISCONNECTED, p.subject(),
                            "Proxy instance " + p.address + " does not answer");
                }
            }
        }
    }

    synchronized void unbindAlarms(AlarmService service) {
        if (alarms == service) {
            alarms = null;
        }
    }

    // ---- ProxyPool ------------------------------------------------------------------------------

    @Override
    public boolean routingAllowed() {
        return view.routingAllowed();
    }

    @Override
    public Optional<HostPort> poolAddress() {
        return view.settings().poolAddress();
    }

    @Override
    public boolean isPoolAddress(String host, int port) {
        View v = view;
        Optional<HostPort> pool = v.settings().poolAddress();
        if (pool.isEmpty() || host == null) {
            return false;
        }
        return (port <= 0 ? PoolSettings.DEFAULT_SIP_PORT : port) == pool.get().port() && v.poolHosts().contains(Hosts.normalize(host));
    }

    @Override
    public List<Instance> instances() {
        View v = view;
        List<Instance> out = new ArrayList<>();
        for (HostPort hp : v.settings().instances()) {
            if (v.self().contains(hp)) {
                out.add(new Instance(hp, true, true, 0));
            } else {
                Peer p = peers.get(hp);
                out.add(p == null ? new Instance(hp, false, false, 0)
                        : new Instance(hp, false, p.reach() == Reach.UP, p.lastResponseMillis));
            }
        }
        return out;
    }

    View view() {
        return view;
    }

    // ---- configuration --------------------------------------------------------------------------

    private static PoolSettings parseOr(Map<String, Object> properties, PoolSettings lastGood) {
        return LastGoodConfig.parseOrKeep(PID, properties, PoolSettings::parse, lastGood);
    }

    /** Finds this instance in the list, updates the peers to probe, and raises or clears the own-address alarm. */
    synchronized void apply(PoolSettings s) {
        View before = view;
        Map<String, Optional<List<String>>> cache = new HashMap<>();
        Set<String> unresolved = new LinkedHashSet<>();
        Hosts.Resolver once = host -> {
            Optional<List<String>> r = cache.computeIfAbsent(host, h -> {
                try {
                    return Optional.of(resolver.resolve(h));
                } catch (UnknownHostException e) {
                    unresolved.add(h);
                    return Optional.empty();
                }
            });
            if (r.isEmpty()) {
                throw new UnknownHostException(host);
            }
            return r.get();
        };

        Set<HostPort> self = Set.of();
        boolean allowed = true;
        if (s.poolConfigured()) {
            OwnAddressMatcher.Result r = OwnAddressMatcher.match(s.instances(), s.ownAddress(), transport::isOwnAddress, once);
            self = r.self();
            allowed = r.found();
        }
        Set<String> poolHosts = new HashSet<>();
        s.poolAddress().ifPresent(pa -> {
            poolHosts.add(Hosts.normalize(pa.host()));
            if (!Hosts.isLiteral(pa.host())) {
                ipsOrEmpty(once, pa.host()).forEach(poolHosts::add);
            }
        });
        String subject = "instance:" + s.ownAddress().map(HostPort::toString).orElseGet(this::firstListeningPoint);
        View next = new View(s, Set.copyOf(self), allowed, subject, Set.copyOf(poolHosts));

        // the other instances: kept when still listed (their state stays), added, or removed
        Set<HostPort> others = new LinkedHashSet<>(s.instances());
        others.removeAll(self);
        for (HostPort hp : others) {
            String ip = Hosts.isLiteral(hp.host()) ? Hosts.normalize(hp.host())
                    : ipsOrEmpty(once, hp.host()).stream().findFirst().orElse(null);
            Peer p = peers.get(hp);
            if (p == null) {
                peers.put(hp, new Peer(hp, ip));
            } else {
                p.ip = ip;
            }
        }
        for (Peer gone : new ArrayList<>(peers.values())) {
            if (!others.contains(gone.address)) {
                gone.removed = true;
                peers.remove(gone.address);
                clearAlarm(ALARM_PEER_DISCONNECTED, gone.subject(), "Proxy instance " + gone.address + " is no longer in proxy-instances");
            }
        }
        for (String host : unresolved) {
            EventLog.log(ProxyEvent.SPR_HOST_NOT_RESOLVED, "Host '{}' of the proxy pool configuration does not resolve", host);
        }
        view = next;
        LOG.info("Proxy pool: {}; this instance is {}", s, !s.poolConfigured() ? "not in a pool"
                : allowed ? self.toString() : "NOT in the list");

        // own address: raised at every configuration that misses it, cleared once when fixed
        if (!allowed) {
            String text = notFoundText(next);
            EventLog.log(ProxyEvent.SPR_OWN_PROXY_ADDR_NOT_FOUND, text);
            if (before != null && !before.routingAllowed() && !before.ownSubject().equals(subject)) {
                clearAlarm(ALARM_OWN_NOT_FOUND, before.ownSubject(), "This instance now looks for " + subject);
            }
            AlarmService a = alarms;
            if (a != null) {
                a.raise(ALARM_OWN_NOT_FOUND, ProxyEvent.SPR_OWN_PROXY_ADDR_NOT_FOUND, subject, text);
            }
        } else if (before != null && !before.routingAllowed()) {
            String text = s.poolConfigured() ? "This instance is " + self + " in proxy-instances " + s.instances() + ": it routes again"
                    : "proxy-instances is empty (no pool): this instance routes again";
            LOG.info(text);
            clearAlarm(ALARM_OWN_NOT_FOUND, before.ownSubject(), text);
        }
    }

    /** Alarms a previous activation of this component left that no longer apply. */
    private void clearStaleAlarms(View v) {
        AlarmService a = alarms;
        if (a == null) {
            return;
        }
        for (Alarm alarm : a.active()) {
            if (alarm.id().equals(ALARM_OWN_NOT_FOUND) && (v.routingAllowed() || !alarm.subject().equals(v.ownSubject()))) {
                a.clear(alarm.id(), alarm.subject(), "This instance's address is " + (v.routingAllowed() ? "in the instance list" : "now " + v.ownSubject()));
            } else if (alarm.id().equals(ALARM_PEER_DISCONNECTED)
                    && peers.values().stream().noneMatch(p -> p.subject().equals(alarm.subject()))) {
                a.clear(alarm.id(), alarm.subject(), "No longer in proxy-instances");
            }
        }
    }

    private String notFoundText(View v) {
        String lookedFor = v.settings().ownAddress().map(o -> "own-address " + o)
                .orElseGet(() -> "the listening points " + describeListeningPoints());
        return "This instance is not in proxy-instances " + v.settings().instances() + ": looked for " + lookedFor
                + "; it refuses to route (503) until the list names it";
    }

    private String describeListeningPoints() {
        List<String> out = new ArrayList<>();
        for (ListeningPointInfo lp : transport.listeningPoints()) {
            out.add(lp.transport().token() + " " + new HostPort(lp.address(), lp.port()));
        }
        return out.toString();
    }

    private String firstListeningPoint() {
        List<ListeningPointInfo> lps = transport.listeningPoints();
        if (lps.isEmpty()) {
            return "unknown";
        }
        ListeningPointInfo lp = lps.get(0);
        return new HostPort(lp.address(), lp.port()).toString();
    }

    private static List<String> ipsOrEmpty(Hosts.Resolver r, String host) {
        try {
            return r.resolve(Hosts.normalize(host));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    // ---- probing --------------------------------------------------------------------------------

    private void tick() {
        try {
            PoolSettings s = view.settings();
            if (!s.probingOn()) {
                return;
            }
            long now = System.currentTimeMillis();
            for (Peer p : peers.values()) {
                if (!p.inFlight && now >= p.nextDue) {
                    p.inFlight = true;
                    p.nextDue = now + s.peerCheckSeconds() * 1000L;
                    probe(p, s);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Pool probe round failed: {}", e.toString(), e);
        }
    }

    private void probe(Peer p, PoolSettings s) {
        String ip = p.ip;
        if (ip == null) {
            ip = ipsOrEmpty(resolver, p.address.host()).stream().findFirst().orElse(null);
            p.ip = ip;
        }
        if (ip == null) {
            p.inFlight = false;
            failed(p, "host '" + p.address.host() + "' does not resolve");
            return;
        }
        SipTransportType t = transport.port(SipTransportType.UDP) > 0 ? SipTransportType.UDP : SipTransportType.TCP;
        OptionsProbe.send(transport, ip, p.address.port(), t, s.peerTimeoutMillis(), timer, (code, reason) -> {
            p.inFlight = false;
            if (p.removed) {
                return;
            }
            if (code > 0) {
                answered(p, code);
            } else {
                failed(p, reason);
            }
        });
    }

    /** Any final response means the instance is alive (it answers OPTIONS to itself with 200). */
    synchronized void answered(Peer p, int code) {
        if (p.removed) {
            return; // no longer listed (apply() holds this lock while it removes peers)
        }
        p.lastResponseMillis = System.currentTimeMillis();
        Reach before = p.reach(Reach.UP);
        if (before == Reach.DOWN) {
            String text = "Proxy instance " + p.address + " answers again (" + code + ")";
            LOG.info(text);
            clearAlarm(ALARM_PEER_DISCONNECTED, p.subject(), text);
        } else if (before == Reach.UNKNOWN) {
            LOG.info("Proxy instance {} answers ({})", p.address, code);
            // an alarm a previous activation of this component left
            clearAlarm(ALARM_PEER_DISCONNECTED, p.subject(), "Proxy instance " + p.address + " answers");
        }
    }

    synchronized void failed(Peer p, String reason) {
        if (p.removed) {
            return;
        }
        Reach before = p.reach(Reach.DOWN);
        if (before != Reach.DOWN) {
            String text = "Proxy instance " + p.address + " does not answer: " + reason;
            EventLog.log(ProxyEvent.SPR_OTHER_PROXY_INSTANCE_DISCONNECTED, text);
            AlarmService a = alarms;
            if (a != null) {
                a.raise(ALARM_PEER_DISCONNECTED, ProxyEvent.SPR_OTHER_PROXY_INSTANCE_DISCONNECTED, p.subject(), text);
            }
        }
    }

    Peer peer(HostPort address) {
        return peers.get(address);
    }

    private void clearAlarm(String id, String subject, String text) {
        AlarmService a = alarms;
        if (a != null) {
            a.clear(id, subject, text);
        }
    }
}
