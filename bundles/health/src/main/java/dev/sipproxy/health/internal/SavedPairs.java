package dev.sipproxy.health.internal;

import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The pairs' member states as the health bundle hands them to its next start (a bundle update or
 * restart), so that a member found down, or taken out of service by an operator, stays so instead of
 * coming back as "all up". Keys: {@code active.NAME} and {@code member.NAME.ROLE.FIELD}.
 */
final class SavedPairs {

    /** One pair's saved state: the active member and the members by role. */
    record Saved(Optional<MemberRole> active, Map<MemberRole, MemberState> members) {
    }

    private final Map<String, Saved> byName;

    private SavedPairs(Map<String, Saved> byName) {
        this.byName = byName;
    }

    static SavedPairs none() {
        return new SavedPairs(new HashMap<>());
    }

    static Properties write(Collection<PairState> pairs) {
        Properties p = new Properties();
        for (PairState s : pairs) {
            String name = s.pair().name();
            p.setProperty("active." + name, s.active().map(Enum::name).orElse(""));
            for (MemberState m : s.members()) {
                String k = "member." + name + "." + m.role().name() + ".";
                p.setProperty(k + "address", m.address().host() + ":" + m.address().port());
                p.setProperty(k + "up", Boolean.toString(m.up()));
                p.setProperty(k + "adminDown", Boolean.toString(m.adminDown()));
                p.setProperty(k + "lastResponseMillis", Long.toString(m.lastResponseMillis()));
                p.setProperty(k + "lastStatusCode", Integer.toString(m.lastStatusCode()));
                p.setProperty(k + "consecutiveFailures", Integer.toString(m.consecutiveFailures()));
            }
        }
        return p;
    }

    /** Reads what {@link #write} wrote; a pair whose entries do not read back is skipped. */
    static SavedPairs read(Properties p) {
        Map<String, Saved> out = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("active.")) {
                continue;
            }
            String name = key.substring("active.".length());
            try {
                String active = p.getProperty(key);
                Map<MemberRole, MemberState> members = new HashMap<>();
                for (MemberRole role : MemberRole.values()) {
                    String k = "member." + name + "." + role.name() + ".";
                    String address = p.getProperty(k + "address");
                    if (address != null) {
                        members.put(role, new MemberState(role, HostPort.parse(address, 5060), null,
                                Boolean.parseBoolean(p.getProperty(k + "up")),
                                Boolean.parseBoolean(p.getProperty(k + "adminDown")),
                                Long.parseLong(p.getProperty(k + "lastResponseMillis", "0")),
                                Integer.parseInt(p.getProperty(k + "lastStatusCode", "0")),
                                Integer.parseInt(p.getProperty(k + "consecutiveFailures", "0"))));
                    }
                }
                out.put(name, new Saved(active.isEmpty() ? Optional.empty() : Optional.of(MemberRole.valueOf(active)), members));
            } catch (RuntimeException unreadable) {
                // skipped: that pair starts afresh
            }
        }
        return new SavedPairs(out);
    }

    /** The saved state of pair {@code name}, handed out once. */
    synchronized Optional<Saved> take(String name) {
        return Optional.ofNullable(byName.remove(name));
    }

    List<String> names() {
        return new ArrayList<>(byName.keySet());
    }
}
