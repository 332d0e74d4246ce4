package dev.sipproxy.pool.internal;

import dev.sipproxy.api.HostPort;

import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds this instance in the configured instance list: the entries equal to {@code own-address}
 * when it is set, else the entries that name one of the transport's own addresses and ports. Host
 * names are resolved (each once per match); a name that does not resolve matches nothing and is
 * reported.
 */
final class OwnAddressMatcher {

    /** Whether {@code host:port} is this proxy: {@code SipTransport#isOwnAddress}. */
    @FunctionalInterface
    interface OwnCheck {
        boolean isOwn(String host, int port);
    }

    /** The list entries that are this instance, and the host names that did not resolve. */
    record Result(Set<HostPort> self, List<String> unresolved) {
        boolean found() {
            return !self.isEmpty();
        }
    }

    private final OwnCheck transport;
    private final Hosts.Resolver resolver;
    private final Map<String, Optional<List<String>>> resolved = new HashMap<>();
    private final Set<String> unresolved = new LinkedHashSet<>();

    private OwnAddressMatcher(OwnCheck transport, Hosts.Resolver resolver) {
        this.transport = transport;
        this.resolver = resolver;
    }

    static Result match(List<HostPort> instances, Optional<HostPort> ownAddress, OwnCheck transport, Hosts.Resolver resolver) {
        OwnAddressMatcher m = new OwnAddressMatcher(transport, resolver);
        Set<HostPort> self = new LinkedHashSet<>();
        for (HostPort entry : instances) {
            if (ownAddress.isPresent() ? m.sameAddress(entry, ownAddress.get()) : m.isOwn(entry)) {
                self.add(entry);
            }
        }
        return new Result(Set.copyOf(self), new ArrayList<>(m.unresolved));
    }

    private boolean isOwn(HostPort entry) {
        if (transport.isOwn(entry.host(), entry.port())) {
            return true;
        }
        if (Hosts.isLiteral(entry.host())) {
            return false;
        }
        for (String ip : ips(entry.host())) {
            if (transport.isOwn(ip, entry.port())) {
                return true;
            }
        }
        return false;
    }

    private boolean sameAddress(HostPort a, HostPort b) {
        if (a.port() != b.port()) {
            return false;
        }
        if (Hosts.normalize(a.host()).equals(Hosts.normalize(b.host()))) {
            return true;
        }
        List<String> ipsOfB = ips(b.host());
        for (String ip : ips(a.host())) {
            if (ipsOfB.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** The host's addresses (a literal is its own), empty when it does not resolve. */
    private List<String> ips(String host) {
        if (Hosts.isLiteral(host)) {
            return List.of(Hosts.normalize(host));
        }
        String key = Hosts.normalize(host);
        return resolved.computeIfAbsent(key, h -> {
            try {
                return Optional.of(resolver.resolve(h));
            } catch (UnknownHostException e) {
                unresolved.add(h);
                return Optional.empty();
            }
        }).orElse(List.of());
    }
}
