package dev.sipproxy.alarms.internal;

import static org.junit.Assert.assertEquals;

import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.ProxyEvent;

import java.util.List;
import java.util.Properties;

import org.junit.Test;

public class SavedAlarmsTest {

    @Test
    public void alarmsReadBackAsTheyWereWritten() {
        List<Alarm> alarms = List.of(
                new Alarm("SIPS_HA_PAIR_UNAVAILABLE", ProxyEvent.SPR_SIPS_HA_PAIR_UNAVAILABLE,
                        ProxyEvent.SPR_SIPS_HA_PAIR_UNAVAILABLE.severity(), "pair:a.b", "pair 'a.b' = down", 1, 2, 3, 0),
                new Alarm("OVERLOAD", null, ProxyEvent.Severity.MAJOR, "overload:dialog-rate", "refused\nwith 503", 5, 6, 1, 7));
        Properties p = new Properties();
        SavedAlarms.write(p, "history", alarms);
        assertEquals(alarms, SavedAlarms.read(p, "history"));
        assertEquals(List.of(), SavedAlarms.read(p, "active"));
    }

    @Test
    public void anUnreadableAlarmIsSkipped() {
        Properties p = new Properties();
        SavedAlarms.write(p, "active", List.of(
                new Alarm("X", null, ProxyEvent.Severity.MINOR, "s", "t", 1, 1, 1, 0),
                new Alarm("Y", null, ProxyEvent.Severity.MINOR, "s", "t", 1, 1, 1, 0)));
        p.setProperty("active.0.severity", "NOT_A_SEVERITY");
        List<Alarm> read = SavedAlarms.read(p, "active");
        assertEquals(1, read.size());
        assertEquals("Y", read.get(0).id());
    }
}
