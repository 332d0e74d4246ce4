package dev.sipproxy.alarms.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.ProxyEvent;

import org.junit.Test;

public class AlarmRegistryTest {
    private final AlarmRegistry alarms = new AlarmRegistry();

    @Test
    public void raisedAlarmIsActiveAndCountedWhenRaisedAgain() {
        alarms.raise("PAIR_DOWN", ProxyEvent.SPR_SIPS_HA_PAIR_UNAVAILABLE, "pair:a", "down");
        alarms.raise("PAIR_DOWN", ProxyEvent.SPR_SIPS_HA_PAIR_UNAVAILABLE, "pair:a", "still down");
        assertEquals(1, alarms.active().size());
        Alarm a = alarms.active().get(0);
        assertEquals(2, a.count());
        assertEquals(40001, a.event().id());
        assertTrue(a.active());
        assertEquals("one raise in the history", 1, alarms.history().size());
    }

    @Test
    public void clearRemovesTheActiveAlarmAndRecordsIt() {
        alarms.raise("PAIR_DOWN", ProxyEvent.SPR_SIPS_HA_PAIR_UNAVAILABLE, "pair:a", "down");
        alarms.raise("PAIR_DOWN", ProxyEvent.SPR_SIPS_HA_PAIR_UNAVAILABLE, "pair:b", "down");
        alarms.clear("PAIR_DOWN", "pair:a", "back");
        assertEquals(1, alarms.active().size());
        assertEquals("pair:b", alarms.active().get(0).subject());
        Alarm newest = alarms.history().get(0);
        assertFalse(newest.active());
        assertEquals("pair:a", newest.subject());
    }

    @Test
    public void clearingWhatIsNotActiveDoesNothing() {
        alarms.clear("PAIR_DOWN", "pair:x", "nothing");
        assertTrue(alarms.history().isEmpty());
    }

    @Test
    public void historyIsBounded() {
        for (int i = 0; i < AlarmRegistry.HISTORY + 50; i++) {
            alarms.raise("X", ProxyEvent.SPR_HOST_NOT_RESOLVED, "host:" + i, "t");
        }
        assertEquals(AlarmRegistry.HISTORY, alarms.history().size());
    }
}
