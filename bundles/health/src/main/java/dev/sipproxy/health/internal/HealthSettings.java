package dev.sipproxy.health.internal;

import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

import java.util.HashSet;
import java.util.Set;

/** The checked health-monitoring configuration. */
record HealthSettings(int oosCheckSeconds, int oosForceSeconds, int probeTimeoutMillis, Set<Integer> failureCodes) {

    static final int DEFAULT_OOS_CHECK = 5;
    static final int DEFAULT_OOS_FORCE = 5;
    static final int DEFAULT_PROBE_TIMEOUT_MS = 1500;
    static final HealthSettings DEFAULTS = parse(new ConfigValues(null));

    /** @throws InvalidConfigException naming the first bad value */
    static HealthSettings parse(ConfigValues c) {
        int check = c.integer("oos-check", DEFAULT_OOS_CHECK, 0, 3600);
        int force = c.integer("oos-force", DEFAULT_OOS_FORCE, 1, 3600);
        int timeout = c.integer("probe-timeout", DEFAULT_PROBE_TIMEOUT_MS, 100, 60_000);
        if (check > 0 && timeout >= check * 1000) {
            throw new InvalidConfigException("probe-timeout", timeout, "must be shorter than oos-check (" + check + " s)");
        }
        Set<Integer> codes = new HashSet<>();
        for (String code : c.list("probe-failure-codes")) {
            try {
                int n = Integer.parseInt(code);
                if (n < 100 || n > 699) {
                    throw new NumberFormatException();
                }
                codes.add(n);
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("probe-failure-codes", code, "not a SIP response code");
            }
        }
        return new HealthSettings(check, force, timeout, Set.copyOf(codes));
    }

    boolean probingOn() {
        return oosCheckSeconds > 0;
    }
}
