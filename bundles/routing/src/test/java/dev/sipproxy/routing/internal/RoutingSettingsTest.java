package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.sipproxy.api.config.InvalidConfigException;

import java.util.Optional;
import java.util.Set;

import org.junit.Test;

public class RoutingSettingsTest {

    @Test
    public void defaults() {
        RoutingSettings s = Settings.of();
        assertEquals(Optional.empty(), s.servingSipServer());
        assertTrue(s.recordRoute());
        assertEquals(RoutingSettings.DEFAULT_RETRY_AFTER, s.retryAfter());
        assertTrue(s.supportedProxyRequire().isEmpty());
        assertEquals(s, RoutingSettings.DEFAULTS);
    }

    @Test
    public void valuesFromCfg() {
        RoutingSettings s = Settings.of("serving-sipserver", " B ", "record-route", "false", "retry-after", "30",
                "supported-proxy-require", "foo, bar");
        assertEquals(Optional.of("B"), s.servingSipServer());
        assertFalse(s.recordRoute());
        assertEquals(30, s.retryAfter());
        assertEquals(Set.of("foo", "bar"), s.supportedProxyRequire());
    }

    @Test
    public void retryAfterOutOfRangeNamesTheKey() {
        try {
            Settings.of("retry-after", "3601");
            fail();
        } catch (InvalidConfigException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("retry-after"));
        }
    }
}
