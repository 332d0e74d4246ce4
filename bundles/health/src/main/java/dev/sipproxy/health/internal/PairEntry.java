package dev.sipproxy.health.internal;

import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.ServerPair;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The live state of one pair. Writers synchronize on the entry; readers take the immutable
 * {@link #snapshot()}, which costs a volatile read.
 * <p>
 * Which member gets the calls is sticky: after a switchover the calls stay on the new member while
 * it answers, because on the SIP Server side it is now the one in charge.
 */
final class PairEntry {

    /** What a state change did to the pair, for logging and alarms. */
    record Change(PairState before, PairState after) {
        boolean wentOutOfService() {
            return before.inService() && !after.inService();
        }

        boolean cameBack() {
            return !before.inService() && after.inService();
        }

        boolean switched() {
            return before.active().isPresent() && after.active().isPresent() && !before.active().equals(after.active());
        }
    }

    private ServerPair config;
    private final Map<MemberRole, MemberState> members = new EnumMap<>(MemberRole.class);
    private MemberRole active;
    private volatile PairState snapshot;

    PairEntry(ServerPair config, Function<HostPort, String> resolver) {
        reconfigure(config, resolver);
    }

    PairState snapshot() {
        return snapshot;
    }

    /** A new definition; members whose address did not change keep their state. */
    synchronized Change reconfigure(ServerPair next, Function<HostPort, String> resolver) {
        PairState before = snapshot;
        config = next;
        for (MemberRole role : MemberRole.values()) {
            Optional<HostPort> address = next.member(role);
            MemberState old = members.get(role);
            if (address.isEmpty()) {
                members.remove(role);
            } else if (old == null || !old.address().equals(address.get()) || old.ip() == null) {
                members.put(role, new MemberState(role, address.get(), resolver.apply(address.get()),
                        true, old != null && old.adminDown(), 0, 0, 0));
            }
        }
        if (active != null && !members.containsKey(active)) {
            active = null;
        }
        return publish(before);
    }

    /**
     * Takes over what an earlier start of the health bundle knew of the members whose address is
     * unchanged: up or down, operator action, last answer; and which member was active.
     */
    synchronized Change restore(SavedPairs.Saved saved) {
        PairState before = snapshot;
        for (MemberState old : saved.members().values()) {
            MemberState m = members.get(old.role());
            if (m != null && m.address().equals(old.address())) {
                members.put(old.role(), new MemberState(old.role(), m.address(), m.ip(), old.up(), old.adminDown(),
                        old.lastResponseMillis(), old.lastStatusCode(), old.consecutiveFailures()));
            }
        }
        saved.active().filter(this::usable).ifPresent(role -> active = role);
        return publish(before);
    }

    synchronized Change answered(MemberRole role, int statusCode, long now) {
        PairState before = snapshot;
        MemberState m = members.get(role);
        if (m != null) {
            members.put(role, new MemberState(role, m.address(), m.ip(), true, m.adminDown(), now, statusCode, 0));
        }
        return publish(before);
    }

    synchronized Change failed(MemberRole role) {
        PairState before = snapshot;
        MemberState m = members.get(role);
        if (m != null) {
            members.put(role, new MemberState(role, m.address(), m.ip(), false, m.adminDown(),
                    m.lastResponseMillis(), m.lastStatusCode(), m.consecutiveFailures() + 1));
        }
        return publish(before);
    }

    /** A request from {@code role}: it is alive, and if it is not the active member, the pair switched over. */
    synchronized Change requestFrom(MemberRole role, long now) {
        PairState before = snapshot;
        MemberState m = members.get(role);
        if (m != null && !m.adminDown()) {
            members.put(role, new MemberState(role, m.address(), m.ip(), true, false, now, m.lastStatusCode(), 0));
            active = role;
        }
        return publish(before);
    }

    /** Probing is off: a member that failed is given calls again (its next failure takes it out again). */
    synchronized Change retry(MemberRole role) {
        PairState before = snapshot;
        MemberState m = members.get(role);
        if (m != null) {
            members.put(role, new MemberState(role, m.address(), m.ip(), true, m.adminDown(),
                    m.lastResponseMillis(), m.lastStatusCode(), m.consecutiveFailures()));
        }
        return publish(before);
    }

    synchronized Change setAdminDown(MemberRole role, boolean down) {
        PairState before = snapshot;
        MemberState m = members.get(role);
        if (m != null) {
            members.put(role, new MemberState(role, m.address(), m.ip(), m.up(), down,
                    m.lastResponseMillis(), m.lastStatusCode(), m.consecutiveFailures()));
        }
        return publish(before);
    }

    private Change publish(PairState before) {
        if (active == null || !usable(active)) {
            active = usable(MemberRole.PRIMARY) ? MemberRole.PRIMARY : usable(MemberRole.BACKUP) ? MemberRole.BACKUP : null;
        }
        List<MemberState> list = new ArrayList<>(members.values());
        PairState after = new PairState(config, Optional.ofNullable(active), List.copyOf(list));
        snapshot = after;
        return new Change(before == null ? after : before, after);
    }

    private boolean usable(MemberRole role) {
        MemberState m = members.get(role);
        return m != null && m.usable();
    }
}
