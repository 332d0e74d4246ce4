package dev.sipproxy.routing.internal;

import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.ServerPair;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.SipTransportType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Pairs set up by the test; records what routing reports back. */
final class FakeSipServerPairs implements SipServerPairs {
    private final TreeMap<String, PairState> pairs = new TreeMap<>();
    final List<String> events = new ArrayList<>();

    /** Adds (or replaces) a pair; members are given as {@code ip:port}, backup may be null. */
    FakeSipServerPairs pair(String name, SipTransportType transport, String primary, boolean primaryUp,
                            String backup, boolean backupUp, MemberRole active) {
        HostPort p = HostPort.parse(primary, 5060);
        Optional<HostPort> b = backup == null ? Optional.empty() : Optional.of(HostPort.parse(backup, 5060));
        List<MemberState> members = new ArrayList<>();
        members.add(new MemberState(MemberRole.PRIMARY, p, p.host(), primaryUp, false, 0, 0, 0));
        b.ifPresent(hp -> members.add(new MemberState(MemberRole.BACKUP, hp, hp.host(), backupUp, false, 0, 0, 0)));
        pairs.put(name, new PairState(new ServerPair(name, p, b, transport), Optional.ofNullable(active), List.copyOf(members)));
        return this;
    }

    @Override
    public List<PairState> pairs() {
        return List.copyOf(pairs.values());
    }

    @Override
    public Optional<PairState> pair(String name) {
        return Optional.ofNullable(pairs.get(name));
    }

    @Override
    public Optional<MemberRef> memberAt(String ip, int port) {
        return pairs.values().stream()
                .flatMap(ps -> ps.members().stream()
                        .filter(m -> ip.equals(m.ip()) && m.address().port() == port)
                        .map(m -> new MemberRef(ps.pair().name(), m.role())))
                .min(Comparator.comparing(MemberRef::toString));
    }

    @Override
    public void requestReceivedFrom(MemberRef member) {
        events.add("received " + member);
    }

    @Override
    public void memberAnswered(MemberRef member, int statusCode) {
        events.add("answered " + member + " " + statusCode);
    }

    @Override
    public void memberFailed(MemberRef member, String reason) {
        events.add("failed " + member);
    }
}
