package dev.sipproxy.management.internal;

import dev.sipproxy.api.EventLog;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

import java.util.Map;

/**
 * The values of {@code dev.sipproxy.management}, checked: a value that does not parse refuses the
 * whole update (event 40003) and the last good settings stay in force, as everywhere in the proxy.
 */
record ManagementSettings(boolean readOnlyOpen, String realm, int listenerCheckSeconds) {
    static final ManagementSettings DEFAULTS = new ManagementSettings(true, "karaf", 20);

    /** @throws InvalidConfigException naming the first bad value */
    static ManagementSettings parse(Map<String, ?> properties) {
        ConfigValues c = new ConfigValues(properties);
        return new ManagementSettings(c.bool("read-only-open", DEFAULTS.readOnlyOpen()),
                c.text("realm", DEFAULTS.realm()),
                c.integer("listener-check-seconds", DEFAULTS.listenerCheckSeconds(), 1, 3600));
    }

    /**
     * The parsed settings, or {@code lastGood} (the defaults at first) when a value is bad; with
     * {@code report} the refusal is logged as event 40003 (only one of the components that share the
     * PID reports it, so it is logged once).
     */
    static ManagementSettings parseOr(Map<String, ?> properties, ManagementSettings lastGood, boolean report) {
        try {
            return parse(properties);
        } catch (InvalidConfigException e) {
            if (report) {
                EventLog.log(ProxyEvent.SPR_ERROR_READING_CONFIG_DATA,
                        "{} update refused: {}; the last good management settings stay in force", ManagementConfig.PID, e.getMessage());
            }
            return lastGood == null ? DEFAULTS : lastGood;
        }
    }
}
