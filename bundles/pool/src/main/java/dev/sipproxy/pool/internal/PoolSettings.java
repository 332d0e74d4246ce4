package dev.sipproxy.pool.internal;

import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The checked pool configuration. */
record PoolSettings(List<HostPort> instances, Optional<HostPort> ownAddress, Optional<HostPort> poolAddress,
                    int peerCheckSeconds, int peerTimeoutMillis) {

    static final int DEFAULT_SIP_PORT = 5060;
    static final int DEFAULT_PEER_CHECK = 5;
    static final int DEFAULT_PEER_TIMEOUT_MS = 1500;
    static final PoolSettings DEFAULTS = parse(new ConfigValues(null));

    PoolSettings {
        instances = List.copyOf(instances);
    }

    /** @throws InvalidConfigException naming the first bad value */
    static PoolSettings parse(ConfigValues c) {
        List<HostPort> instances = new ArrayList<>();
        for (String item : c.list("proxy-instances")) {
            HostPort hp = address("proxy-instances", item);
            for (HostPort seen : instances) {
                if (sameText(seen, hp)) {
                    throw new InvalidConfigException("proxy-instances", item, "listed twice");
                }
            }
            instances.add(hp);
        }
        Optional<HostPort> own = c.text("own-address").map(t -> address("own-address", t));
        Optional<HostPort> pool = c.text("pool-address").map(t -> address("pool-address", t));
        int check = c.integer("peer-check", DEFAULT_PEER_CHECK, 0, 3600);
        int timeout = c.integer("peer-timeout", DEFAULT_PEER_TIMEOUT_MS, 100, 60_000);
        if (check > 0 && timeout >= check * 1000) {
            throw new InvalidConfigException("peer-timeout", timeout, "must be shorter than peer-check (" + check + " s)");
        }
        return new PoolSettings(instances, own, pool, check, timeout);
    }

    private static HostPort address(String key, String text) {
        try {
            return HostPort.parse(text, DEFAULT_SIP_PORT);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key, text, e.getMessage());
        }
    }

    private static boolean sameText(HostPort a, HostPort b) {
        return a.port() == b.port() && Hosts.normalize(a.host()).equals(Hosts.normalize(b.host()));
    }

    /** True when an instance list is configured: this instance then has to find itself in it. */
    boolean poolConfigured() {
        return !instances.isEmpty();
    }

    boolean probingOn() {
        return peerCheckSeconds > 0;
    }

    @Override
    public String toString() {
        return "proxy-instances " + instances + ", own-address " + ownAddress.map(HostPort::toString).orElse("(from the listening points)")
                + ", pool-address " + poolAddress.map(HostPort::toString).orElse("none") + ", peer-check " + peerCheckSeconds
                + " s, peer-timeout " + peerTimeoutMillis + " ms";
    }
}
