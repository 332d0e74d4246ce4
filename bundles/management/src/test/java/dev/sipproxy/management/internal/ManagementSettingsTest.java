package dev.sipproxy.management.internal;

import static org.junit.Assert.assertEquals;

import java.util.Map;

import org.junit.Test;

public class ManagementSettingsTest {

    @Test
    public void defaultsWithoutConfiguration() {
        assertEquals(new ManagementSettings(true, "karaf", 20), ManagementSettings.parse(Map.of()));
    }

    @Test
    public void valuesFromAFile() {
        assertEquals(new ManagementSettings(false, "other", 5), ManagementSettings.parse(
                Map.of("read-only-open", "false", "realm", " other ", "listener-check-seconds", "5")));
    }

    @Test
    public void aBadValueKeepsTheLastGoodSettings() {
        ManagementSettings good = new ManagementSettings(false, "karaf", 20);
        assertEquals(good, ManagementSettings.parseOr(Map.of("read-only-open", "maybe"), good, false));
        assertEquals(ManagementSettings.DEFAULTS, ManagementSettings.parseOr(Map.of("listener-check-seconds", "0"), null, false));
    }
}
