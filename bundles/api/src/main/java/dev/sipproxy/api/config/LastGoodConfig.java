package dev.sipproxy.api.config;

import dev.sipproxy.api.EventLog;
import dev.sipproxy.api.ProxyEvent;

import java.util.Map;
import java.util.function.Function;

/**
 * How every component takes a configuration update: parse it whole, or refuse it whole with event
 * 40003 naming the PID and the bad value, and keep the last good settings in force.
 */
public final class LastGoodConfig {
    private LastGoodConfig() {
    }

    /**
     * @param pid        the configuration's PID, for the event
     * @param properties the update as Config Admin delivers it
     * @param parser     reads the settings, throwing {@link InvalidConfigException} on a bad value
     * @param lastGood   what stays in force when the update is refused
     */
    public static <T> T parseOrKeep(String pid, Map<String, ?> properties, Function<ConfigValues, T> parser, T lastGood) {
        try {
            return parser.apply(new ConfigValues(properties));
        } catch (InvalidConfigException e) {
            EventLog.log(ProxyEvent.SPR_ERROR_READING_CONFIG_DATA, "{} update refused: {}; the last good settings stay in force",
                    pid, e.getMessage());
            return lastGood;
        }
    }
}
