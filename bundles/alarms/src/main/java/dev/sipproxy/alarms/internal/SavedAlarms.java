package dev.sipproxy.alarms.internal;

import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.ProxyEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Alarms as the alarms bundle hands them to its next start: an update or restart of the bundle keeps
 * the active alarms and the history. Keys: {@code active.N.FIELD} and {@code history.N.FIELD}, in order.
 */
final class SavedAlarms {

    private SavedAlarms() {
    }

    static void write(Properties p, String prefix, List<Alarm> alarms) {
        for (int i = 0; i < alarms.size(); i++) {
            Alarm a = alarms.get(i);
            String k = prefix + "." + i + ".";
            p.setProperty(k + "id", a.id());
            p.setProperty(k + "event", a.event() == null ? "" : a.event().name());
            p.setProperty(k + "severity", a.severity().name());
            p.setProperty(k + "subject", a.subject());
            p.setProperty(k + "text", a.text() == null ? "" : a.text());
            p.setProperty(k + "firstSeen", Long.toString(a.firstSeen()));
            p.setProperty(k + "lastSeen", Long.toString(a.lastSeen()));
            p.setProperty(k + "count", Integer.toString(a.count()));
            p.setProperty(k + "clearedAt", Long.toString(a.clearedAt()));
        }
    }

    /** The alarms {@link #write} wrote under {@code prefix}, in order; one that does not read back is skipped. */
    static List<Alarm> read(Properties p, String prefix) {
        List<Alarm> out = new ArrayList<>();
        for (int i = 0; p.getProperty(prefix + "." + i + ".id") != null; i++) {
            String k = prefix + "." + i + ".";
            try {
                String event = p.getProperty(k + "event", "");
                out.add(new Alarm(p.getProperty(k + "id"),
                        event.isEmpty() ? null : ProxyEvent.valueOf(event),
                        ProxyEvent.Severity.valueOf(p.getProperty(k + "severity")),
                        p.getProperty(k + "subject"),
                        p.getProperty(k + "text"),
                        Long.parseLong(p.getProperty(k + "firstSeen")),
                        Long.parseLong(p.getProperty(k + "lastSeen")),
                        Integer.parseInt(p.getProperty(k + "count")),
                        Long.parseLong(p.getProperty(k + "clearedAt"))));
            } catch (RuntimeException unreadable) {
                // skipped
            }
        }
        return out;
    }
}
