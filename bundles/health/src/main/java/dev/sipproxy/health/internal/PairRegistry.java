package dev.sipproxy.health.internal;

import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.EventLog;
import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.ServerPair;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.state.SavedState;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SipServerPairs} service: every configured pair with its live state. Pairs come and go
 * with their factory configurations; a changed pair keeps the state of the members whose address
 * did not change. The states are handed over to the next start of the bundle (an update or restart
 * keeps a member that was down, down).
 */
@Component(service = {SipServerPairs.class, PairRegistry.class}, immediate = true)
public class PairRegistry implements SipServerPairs {
    private static final Logger LOG = LoggerFactory.getLogger(PairRegistry.class);
    private static final String STATE = "pairs";
    /** How fresh a member's last-answer time is kept: every response would otherwise rebuild the pair's state. */
    private static final long ANSWER_GRANULARITY_MILLIS = 50;

    private final BundleContext context;
    /** What the previous start of this bundle knew, taken by each pair as it is configured. */
    private final SavedPairs saved;

    /** Which definition is which pair name (a definition may be renamed by an update). */
    private final Map<PairDefinition, String> names = new IdentityHashMap<>();
    private final Map<String, PairEntry> entries = new ConcurrentHashMap<>();
    /** ip:port of every member, for telling SIP Server traffic from endpoint traffic. */
    private volatile Map<String, MemberRef> byAddress = Map.of();

    /** Topic of the event posted when a pair's state changes (properties: pair, active, inService). */
    public static final String TOPIC_PAIR_STATE = "dev/sipproxy/health/PAIR_STATE";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public PairRegistry(BundleContext context) {
        this.context = context;
        this.saved = SavedState.load(context, STATE).map(SavedPairs::read).orElseGet(SavedPairs::none);
    }

    @Deactivate
    void deactivate() {
        SavedState.save(context, STATE, SavedPairs.write(pairs()));
    }

    /** Alarm raised while a pair is out of service (subject {@code pair:NAME}). */
    public static final String ALARM_PAIR_UNAVAILABLE = "SIPS_HA_PAIR_UNAVAILABLE";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindDefinition(PairDefinition definition) {
        apply(definition);
    }

    synchronized void updatedDefinition(PairDefinition definition) {
        apply(definition);
    }

    synchronized void unbindDefinition(PairDefinition definition) {
        if (context.getBundle().getState() == Bundle.STOPPING) {
            return; // not removed: the bundle stops, and the pair's state goes to its next start
        }
        String name = names.remove(definition);
        if (name != null && !names.containsValue(name)) {
            entries.remove(name);
            LOG.info("SIP Server pair '{}' removed", name);
            AlarmService a = alarms;
            if (a != null) {
                a.clear(ALARM_PAIR_UNAVAILABLE, "pair:" + name, "SIP Server pair '" + name + "' removed from the configuration");
            }
        }
        reindex();
    }

    private void apply(PairDefinition definition) {
        ServerPair pair = definition.current();
        if (pair == null) {
            return;
        }
        String oldName = names.get(definition);
        for (Map.Entry<PairDefinition, String> e : names.entrySet()) {
            if (e.getKey() != definition && e.getValue().equals(pair.name())) {
                EventLog.log(ProxyEvent.SPR_ERROR_READING_CONFIG_DATA,
                        "SIP Server pair name '{}' is configured twice; the second definition is ignored", pair.name());
                return;
            }
        }
        names.put(definition, pair.name());
        if (oldName != null && !oldName.equals(pair.name())) {
            entries.remove(oldName);
        }
        PairEntry entry = entries.get(pair.name());
        if (entry == null) {
            entry = new PairEntry(pair, PairRegistry::resolve);
            entries.put(pair.name(), entry);
            LOG.info("SIP Server pair '{}': primary {}, backup {}, {}", pair.name(), pair.primary(),
                    pair.backup().map(HostPort::toString).orElse("none"), pair.transport());
            PairEntry restored = entry;
            saved.take(pair.name()).ifPresent(s -> {
                // No event, no alarm: they were logged and raised when the state first changed.
                PairState state = restored.restore(s).after();
                LOG.info("SIP Server pair '{}' keeps its state from before the restart of the health bundle: {}",
                        pair.name(), describe(state));
            });
        } else {
            report(entry.reconfigure(pair, PairRegistry::resolve));
            LOG.info("SIP Server pair '{}' reconfigured: primary {}, backup {}, {}", pair.name(), pair.primary(),
                    pair.backup().map(HostPort::toString).orElse("none"), pair.transport());
        }
        reindex();
    }

    private void reindex() {
        Map<String, MemberRef> index = new HashMap<>();
        for (PairEntry entry : entries.values()) {
            PairState s = entry.snapshot();
            for (MemberState m : s.members()) {
                if (m.ip() != null) {
                    MemberRef ref = new MemberRef(s.pair().name(), m.role());
                    index.put(m.ip() + ":" + m.address().port(), ref);
                }
            }
        }
        byAddress = Map.copyOf(index);
    }

    static String resolve(HostPort address) {
        try {
            return InetAddress.getByName(address.host()).getHostAddress();
        } catch (UnknownHostException e) {
            EventLog.log(ProxyEvent.SPR_HOST_NOT_RESOLVED, "SIP Server host '{}' does not resolve; it gets no calls", address.host());
            return null;
        }
    }

    @Override
    public List<PairState> pairs() {
        List<PairState> out = new ArrayList<>();
        entries.values().forEach(e -> out.add(e.snapshot()));
        out.sort(Comparator.comparing(s -> s.pair().name()));
        return out;
    }

    @Override
    public Optional<PairState> pair(String name) {
        PairEntry e = entries.get(name);
        return e == null ? Optional.empty() : Optional.of(e.snapshot());
    }

    @Override
    public Optional<MemberRef> memberAt(String ip, int port) {
        return Optional.ofNullable(byAddress.get(ip + ":" + port));
    }

    @Override
    public void requestReceivedFrom(MemberRef member) {
        PairEntry e = entries.get(member.pair());
        if (e != null) {
            PairState s = e.snapshot();
            if (s.active().isPresent() && s.active().get() == member.role()) {
                return; // the usual case, and the hot path: nothing changes
            }
            report(e.requestFrom(member.role(), System.currentTimeMillis()));
        }
    }

    @Override
    public void memberAnswered(MemberRef member, int statusCode) {
        PairEntry e = entries.get(member.pair());
        if (e != null) {
            long now = System.currentTimeMillis();
            MemberState m = e.snapshot().member(member.role()).orElse(null);
            if (m != null && m.up() && m.lastStatusCode() == statusCode && m.consecutiveFailures() == 0
                    && now - m.lastResponseMillis() < ANSWER_GRANULARITY_MILLIS) {
                return; // the hot path, every response: nothing to tell that the state does not say already
            }
            PairEntry.Change change = e.answered(member.role(), statusCode, now);
            boolean wasUp = change.before().member(member.role()).map(MemberState::up).orElse(true);
            if (!wasUp) {
                LOG.info("SIP Server {} is up again (answered {})", member, statusCode);
            }
            report(change);
        }
    }

    @Override
    public void memberFailed(MemberRef member, String reason) {
        PairEntry e = entries.get(member.pair());
        if (e != null) {
            PairEntry.Change change = e.failed(member.role());
            boolean wasUp = change.before().member(member.role()).map(MemberState::up).orElse(false);
            if (wasUp) {
                LOG.warn("SIP Server {} is down: {}", member, reason);
            }
            report(change);
        }
    }

    /** Puts a failed member back without a probe (used while probing is off). */
    void retry(MemberRef member) {
        PairEntry e = entries.get(member.pair());
        if (e != null) {
            LOG.info("SIP Server {} given calls again (probing is off)", member);
            report(e.retry(member.role()));
        }
    }

    /** Operator action: take a member out of service, or put it back; false if there is no such member. */
    boolean setAdminDown(MemberRef member, boolean down) {
        PairEntry e = entries.get(member.pair());
        if (e == null || e.snapshot().member(member.role()).isEmpty()) {
            return false;
        }
        LOG.info("SIP Server {} {} by an operator", member, down ? "taken out of service" : "put back in service");
        report(e.setAdminDown(member.role(), down));
        return true;
    }

    private void report(PairEntry.Change change) {
        String name = change.after().pair().name();
        if (!change.before().active().equals(change.after().active())) {
            publish(change.after());
        }
        if (change.wentOutOfService()) {
            String text = "SIP Server pair '" + name + "' is out of service: primary " + change.after().pair().primary()
                    + " and backup " + change.after().pair().backup().map(HostPort::toString).orElse("none") + " do not answer";
            EventLog.log(ProxyEvent.SPR_SIPS_HA_PAIR_UNAVAILABLE, text);
            AlarmService a = alarms;
            if (a != null) {
                a.raise(ALARM_PAIR_UNAVAILABLE, ProxyEvent.SPR_SIPS_HA_PAIR_UNAVAILABLE, "pair:" + name, text);
            }
        } else if (change.cameBack()) {
            LOG.info("SIP Server pair '{}' is back in service on its {}", name, roleName(change.after().active().get()));
            AlarmService a = alarms;
            if (a != null) {
                a.clear(ALARM_PAIR_UNAVAILABLE, "pair:" + name,
                        "SIP Server pair '" + name + "' is back in service on its " + roleName(change.after().active().get()));
            }
        } else if (change.switched()) {
            LOG.warn("SIP Server pair '{}' switched over to its {}", name, roleName(change.after().active().get()));
        }
    }

    private void publish(PairState state) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            Map<String, Object> props = new HashMap<>();
            props.put("pair", state.pair().name());
            props.put("active", state.active().map(PairRegistry::roleName).orElse("none"));
            props.put("inService", state.inService());
            ea.postEvent(new Event(TOPIC_PAIR_STATE, props));
        }
    }

    private static String describe(PairState state) {
        StringBuilder b = new StringBuilder(state.inService()
                ? "active " + roleName(state.active().get()) : "out of service");
        for (MemberState m : state.members()) {
            b.append(", ").append(roleName(m.role())).append(m.usable() ? " up" : m.adminDown() ? " out of service (operator)" : " down");
        }
        return b.toString();
    }

    private static String roleName(MemberRole role) {
        return role == MemberRole.PRIMARY ? "primary" : "backup";
    }
}
