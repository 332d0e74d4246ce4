package dev.sipproxy.health.internal;

import dev.sipproxy.api.HealthControl;
import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.config.LastGoodConfig;
import dev.sipproxy.api.transport.OptionsProbe;
import dev.sipproxy.api.transport.SipTransport;

import java.util.HashSet;
import java.util.Map;
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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every member of every pair with OPTIONS: each {@code oos-check} seconds while its pair is
 * in service, each {@code oos-force} seconds while it is out of service. A member that does not
 * answer within {@code probe-timeout} is down; when it was the active one, the other member is
 * probed at once, so that the pair's calls move to it (or the pair goes out of service) without
 * waiting for the next round. Any final response counts as alive except the configured
 * {@code probe-failure-codes}. With probing off ({@code oos-check} 0), a member that a request
 * found dead is given calls again after {@code oos-force} seconds, so that it cannot stay out of
 * service for good with nobody looking.
 */
@Component(configurationPid = HealthMonitor.PID, immediate = true, service = HealthControl.class)
@Designate(ocd = HealthConfig.class)
public class HealthMonitor implements HealthControl {
    static final String PID = "dev.sipproxy.health";
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    private static final long TICK_MILLIS = 100;

    /**
     * Unanswered probes in a row that may be blamed on this proxy being behind (see
     * {@link SipTransport#behindSince}) before the member is taken for down all the same.
     */
    static final int MAX_UNANSWERED_WHILE_BEHIND = 10;
    /** How soon a member is probed again after a probe that went unanswered while this proxy was behind. */
    private static final long REPROBE_WHILE_BEHIND_MILLIS = 500;

    /** When a member is next due, whether a probe to it is under way, and how many went unanswered while behind. */
    private static final class Schedule {
        volatile long nextDue;
        volatile boolean inFlight;
        int unansweredWhileBehind;
    }

    private final SipTransport transport;
    private final SipServerPairs pairs;
    private final PairRegistry registry;
    private final ScheduledExecutorService timer;
    private final Map<MemberRef, Schedule> schedules = new ConcurrentHashMap<>();
    private volatile HealthSettings settings;

    @Activate
    public HealthMonitor(@Reference SipTransport transport, @Reference PairRegistry registry, Map<String, Object> properties) {
        this.transport = transport;
        this.pairs = registry;
        this.registry = registry;
        this.settings = parseOr(properties, HealthSettings.DEFAULTS);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-proxy-health");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        HealthSettings next = parseOr(properties, settings);
        if (!next.equals(settings)) {
            settings = next;
            // New intervals count from now: a member is not left waiting for an old, longer one.
            long now = System.currentTimeMillis();
            schedules.values().forEach(s -> s.nextDue = Math.min(s.nextDue, now));
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    @Override
    public boolean probeNow(String pair) {
        if (pairs.pair(pair).isEmpty()) {
            return false;
        }
        schedules.forEach((ref, s) -> {
            if (ref.pair().equals(pair)) {
                s.nextDue = 0;
            }
        });
        return true;
    }

    @Override
    public boolean setOutOfService(MemberRef member, boolean outOfService) {
        return registry.setAdminDown(member, outOfService);
    }

    HealthSettings settings() {
        return settings;
    }

    private static HealthSettings parseOr(Map<String, Object> properties, HealthSettings lastGood) {
        HealthSettings s = LastGoodConfig.parseOrKeep(PID, properties, HealthSettings::parse, lastGood);
        if (s != lastGood) {
            LOG.info("Health monitoring: {}", s.probingOn()
                    ? "OPTIONS every " + s.oosCheckSeconds() + " s (" + s.oosForceSeconds() + " s out of service), timeout "
                    + s.probeTimeoutMillis() + " ms" : "off (oos-check = 0)");
        }
        return s;
    }

    private void tick() {
        try {
            HealthSettings s = settings;
            Set<MemberRef> present = new HashSet<>();
            long now = System.currentTimeMillis();
            for (PairState pair : pairs.pairs()) {
                long interval = (pair.inService() ? s.oosCheckSeconds() : s.oosForceSeconds()) * 1000L;
                for (MemberState member : pair.members()) {
                    MemberRef ref = new MemberRef(pair.pair().name(), member.role());
                    present.add(ref);
                    Schedule schedule = schedules.computeIfAbsent(ref, r -> new Schedule());
                    if (s.probingOn() && member.ip() != null && !schedule.inFlight && now >= schedule.nextDue) {
                        schedule.inFlight = true;
                        schedule.nextDue = now + interval;
                        probe(pair, member, ref, schedule, s);
                    } else if (!s.probingOn()) {
                        retryWithoutProbe(member, ref, schedule, s, now);
                    }
                }
            }
            schedules.keySet().retainAll(present);
        } catch (RuntimeException e) {
            LOG.warn("Health probe round failed: {}", e.toString(), e);
        }
    }

    private void retryWithoutProbe(MemberState member, MemberRef ref, Schedule schedule, HealthSettings s, long now) {
        if (member.up() || member.adminDown()) {
            schedule.nextDue = 0;
        } else if (schedule.nextDue == 0) {
            schedule.nextDue = now + s.oosForceSeconds() * 1000L;
        } else if (now >= schedule.nextDue) {
            schedule.nextDue = 0;
            registry.retry(ref);
        }
    }

    private void probe(PairState pair, MemberState member, MemberRef ref, Schedule schedule, HealthSettings s) {
        long sentAt = System.currentTimeMillis();
        OptionsProbe.send(transport, member.ip(), member.address().port(), pair.pair().transport(), s.probeTimeoutMillis(), timer,
                (code, reason) -> {
                    schedule.inFlight = false;
                    boolean unansweredWhileBehind = code <= 0 && transport.behindSince(sentAt);
                    if (!unansweredWhileBehind) {
                        schedule.unansweredWhileBehind = 0;
                    }
                    if (code > 0 && !s.failureCodes().contains(code)) {
                        pairs.memberAnswered(ref, code);
                    } else if (code <= 0 && pairs.answeredSince(ref, sentAt + s.probeTimeoutMillis() / 2)) {
                        // No answer to the probe, but answers to calls kept coming in the second half of
                        // the wait: the member is alive, and the probe's answer waits in this proxy's own
                        // backlog (or was one lost datagram). Not a reason to take it out of service.
                        LOG.debug("OPTIONS to {} unanswered, but it answers calls: still up", ref);
                    } else if (unansweredWhileBehind && ++schedule.unansweredWhileBehind <= MAX_UNANSWERED_WHILE_BEHIND) {
                        // This proxy is behind on what it received (overload control sheds new calls
                        // meanwhile): the answer may be in its own queue. Probe again soon rather than
                        // fail the member, and a whole pair with it, over this proxy's own load.
                        schedule.nextDue = Math.min(schedule.nextDue, System.currentTimeMillis() + REPROBE_WHILE_BEHIND_MILLIS);
                        LOG.info("OPTIONS to {} unanswered while this proxy is behind (received messages wait {} ms): probing again",
                                ref, transport.receiveBacklogMillis());
                    } else {
                        boolean wasActive = pairs.pair(ref.pair()).flatMap(PairState::active)
                                .map(role -> role == ref.role()).orElse(false);
                        pairs.memberFailed(ref, code > 0 ? "answered " + code + " " + reason : reason);
                        if (wasActive) {
                            Schedule other = schedules.get(new MemberRef(ref.pair(), ref.role().other()));
                            if (other != null) {
                                other.nextDue = 0;
                            }
                        }
                    }
                });
    }
}
