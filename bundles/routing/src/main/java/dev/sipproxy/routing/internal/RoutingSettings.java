package dev.sipproxy.routing.internal;

import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

import java.util.Optional;
import java.util.Set;

/** The checked routing configuration. */
record RoutingSettings(Optional<String> servingSipServer, Optional<String> fallbackSipServer, boolean recordRoute, int retryAfter,
                       int failoverTimerMillis, Set<String> supportedProxyRequire) {

    static final int DEFAULT_RETRY_AFTER = 5;
    static final int DEFAULT_FAILOVER_TIMER_MS = 1000;
    static final RoutingSettings DEFAULTS = parse(new ConfigValues(null));

    /** @throws InvalidConfigException naming the first bad value */
    static RoutingSettings parse(ConfigValues c) {
        return new RoutingSettings(
                c.text("serving-sipserver"),
                c.text("fallback-sipserver"),
                c.bool("record-route", true),
                c.integer("retry-after", DEFAULT_RETRY_AFTER, 0, 3600),
                c.integer("failover-timer", DEFAULT_FAILOVER_TIMER_MS, 0, 32_000),
                Set.copyOf(c.list("supported-proxy-require")));
    }
}
