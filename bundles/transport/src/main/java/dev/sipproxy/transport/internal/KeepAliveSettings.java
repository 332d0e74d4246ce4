package dev.sipproxy.transport.internal;

import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

/**
 * RFC 5626 keep-alive of the TCP and TLS connections to SIP Servers: a double-CRLF ping every
 * {@code intervalSeconds}, which must be answered with a CRLF pong within {@code timeoutMillis}.
 */
record KeepAliveSettings(int intervalSeconds, int timeoutMillis) {
    static final int DEFAULT_INTERVAL = 30;
    static final int DEFAULT_TIMEOUT = 10_000;
    static final KeepAliveSettings OFF = new KeepAliveSettings(0, DEFAULT_TIMEOUT);

    static KeepAliveSettings parse(ConfigValues c) {
        int interval = c.integer("keepalive-interval", DEFAULT_INTERVAL, 0, 3600);
        int timeout = c.integer("keepalive-timeout", DEFAULT_TIMEOUT, 100, 600_000);
        if (interval > 0 && timeout >= interval * 1000L) {
            throw new InvalidConfigException("keepalive-timeout", timeout, "must be shorter than keepalive-interval ("
                    + interval + " s)");
        }
        return new KeepAliveSettings(interval, timeout);
    }

    boolean enabled() {
        return intervalSeconds > 0;
    }
}
