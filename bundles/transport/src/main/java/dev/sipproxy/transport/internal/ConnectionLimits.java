package dev.sipproxy.transport.internal;

import dev.sipproxy.api.config.ConfigValues;

/**
 * Bounds on TCP and TLS connections that apply to the running stack: connections accepted from one
 * remote IP at once, and seconds a connection may go without receiving anything before it is closed.
 */
record ConnectionLimits(int maxPerAddress, int idleTimeoutSeconds) {
    static final int DEFAULT_PER_ADDRESS = 64;
    static final int DEFAULT_IDLE_TIMEOUT = 900;
    static final ConnectionLimits DEFAULTS = new ConnectionLimits(DEFAULT_PER_ADDRESS, DEFAULT_IDLE_TIMEOUT);

    static ConnectionLimits parse(ConfigValues c) {
        return new ConnectionLimits(
                c.integer("max-connections-per-address", DEFAULT_PER_ADDRESS, 1, 1_000_000),
                c.integer("idle-timeout", DEFAULT_IDLE_TIMEOUT, 0, 86_400));
    }
}
