package dev.sipproxy.routing.internal;

import dev.sipproxy.api.config.ConfigValues;

import java.util.HashMap;
import java.util.Map;

/** Routing settings as an operator would write them in dev.sipproxy.routing.cfg. */
final class Settings {
    private Settings() {
    }

    static RoutingSettings of(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return RoutingSettings.parse(new ConfigValues(m));
    }
}
