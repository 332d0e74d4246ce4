package dev.sipproxy.pool.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class PoolSettingsTest {

    private static PoolSettings parse(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return PoolSettings.parse(new ConfigValues(m));
    }

    private static void assertRefused(String key, Object... keyValues) {
        try {
            parse(keyValues);
            fail("accepted " + List.of(keyValues));
        } catch (InvalidConfigException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(key + " = "));
        }
    }

    @Test
    public void defaultsAreNoPoolProbeEveryFiveSecondsTimeoutOneAndAHalf() {
        PoolSettings s = PoolSettings.DEFAULTS;
        assertFalse(s.poolConfigured());
        assertEquals(List.of(), s.instances());
        assertEquals(Optional.empty(), s.ownAddress());
        assertEquals(Optional.empty(), s.poolAddress());
        assertEquals(5, s.peerCheckSeconds());
        assertEquals(1500, s.peerTimeoutMillis());
    }

    @Test
    public void listFromACfgFileString() {
        PoolSettings s = parse("proxy-instances", " 10.0.0.1:5060, proxy-b.example.com:5070 ,[::1]:5080, 10.0.0.4 ");
        assertEquals(List.of(new HostPort("10.0.0.1", 5060), new HostPort("proxy-b.example.com", 5070),
                new HostPort("::1", 5080), new HostPort("10.0.0.4", 5060)), s.instances());
        assertTrue(s.poolConfigured());
    }

    @Test
    public void listFromAnArrayAndTypedNumbers() {
        PoolSettings s = parse("proxy-instances", new String[] {"a:1", "b:2"}, "peer-check", 2, "peer-timeout", 300L,
                "own-address", "a:1", "pool-address", "pool.example.com");
        assertEquals(List.of(new HostPort("a", 1), new HostPort("b", 2)), s.instances());
        assertEquals(Optional.of(new HostPort("a", 1)), s.ownAddress());
        assertEquals(Optional.of(new HostPort("pool.example.com", 5060)), s.poolAddress());
        assertEquals(2, s.peerCheckSeconds());
        assertEquals(300, s.peerTimeoutMillis());
    }

    @Test
    public void blankValuesMeanDefaults() {
        PoolSettings s = parse("proxy-instances", "", "own-address", " ", "pool-address", "", "peer-check", "", "peer-timeout", " ");
        assertEquals(PoolSettings.DEFAULTS, s);
    }

    @Test
    public void badValuesAreRefusedNamingTheKey() {
        assertRefused("proxy-instances", "proxy-instances", "10.0.0.1:70000");
        assertRefused("proxy-instances", "proxy-instances", "10.0.0.1:x");
        assertRefused("proxy-instances", "proxy-instances", "10.0.0.1:5060,10.0.0.2:5060,10.0.0.1:5060");
        assertRefused("proxy-instances", "proxy-instances", "Host:5060,host:5060");
        assertRefused("own-address", "own-address", "[::1:5060");
        assertRefused("pool-address", "pool-address", "pool:0");
        assertRefused("peer-check", "peer-check", "five");
        assertRefused("peer-check", "peer-check", "-1");
        assertRefused("peer-timeout", "peer-timeout", "50");
        assertRefused("peer-timeout", "peer-check", "1", "peer-timeout", "1000");
    }

    @Test
    public void peerCheckZeroTurnsProbingOffAndAllowsAnyTimeout() {
        PoolSettings s = parse("peer-check", "0", "peer-timeout", "5000");
        assertFalse(s.probingOn());
    }
}
