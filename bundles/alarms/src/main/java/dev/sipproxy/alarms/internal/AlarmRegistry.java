package dev.sipproxy.alarms.internal;

import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.state.SavedState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AlarmService}: one active alarm per kind and subject, counted when raised again, and
 * the last {@value #HISTORY} raises and clears. Every raise and clear is logged with the event id it
 * stems from and posted on EventAdmin. Raises and clears are rare, so one lock is enough.
 */
@Component(service = AlarmService.class, immediate = true)
public class AlarmRegistry implements AlarmService {
    static final int HISTORY = 200;
    private static final Logger LOG = LoggerFactory.getLogger("dev.sipproxy.alarms");

    private final Map<String, Alarm> active = new LinkedHashMap<>();
    private final Deque<Alarm> history = new ArrayDeque<>();

    private static final String STATE = "alarms";

    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public AlarmRegistry(BundleContext context) {
        this.context = context;
        SavedState.load(context, STATE).ifPresent(p -> {
            synchronized (this) {
                SavedAlarms.read(p, "active").forEach(a -> active.put(a.key(), a));
                history.addAll(SavedAlarms.read(p, "history"));
            }
            LOG.info("Alarms kept from before the restart of the alarms bundle: {} active, {} in the history",
                    active.size(), history.size());
        });
    }

    /** Outside a framework (unit tests): nothing is kept. */
    AlarmRegistry() {
        this.context = null;
    }

    @Deactivate
    synchronized void deactivate() {
        if (context == null) {
            return;
        }
        Properties p = new Properties();
        SavedAlarms.write(p, "active", new ArrayList<>(active.values()));
        SavedAlarms.write(p, "history", new ArrayList<>(history));
        SavedState.save(context, STATE, p);
    }

    @Override
    public void raise(String id, ProxyEvent event, String subject, String text) {
        raise(id, event, event.severity(), subject, text);
    }

    @Override
    public void raise(String id, ProxyEvent.Severity severity, String subject, String text) {
        raise(id, null, severity, subject, text);
    }

    private void raise(String id, ProxyEvent event, ProxyEvent.Severity severity, String subject, String text) {
        long now = System.currentTimeMillis();
        Alarm alarm;
        boolean isNew;
        synchronized (this) {
            Alarm old = active.get(id + "/" + subject);
            isNew = old == null;
            alarm = isNew
                    ? new Alarm(id, event, severity, subject, text, now, now, 1, 0)
                    : new Alarm(id, event, severity, subject, text, old.firstSeen(), now, old.count() + 1, 0);
            active.put(alarm.key(), alarm);
            if (isNew) {
                remember(alarm);
            }
        }
        if (isNew) {
            LOG.warn("ALARM RAISED [{}] {} {}: {}", tag(event), id, subject, text);
            post(TOPIC_RAISED, alarm);
        }
    }

    @Override
    public void clear(String id, String subject, String text) {
        Alarm cleared;
        synchronized (this) {
            Alarm old = active.remove(id + "/" + subject);
            if (old == null) {
                return;
            }
            cleared = new Alarm(old.id(), old.event(), old.severity(), old.subject(), text, old.firstSeen(), old.lastSeen(),
                    old.count(), System.currentTimeMillis());
            remember(cleared);
        }
        LOG.info("ALARM CLEARED [{}] {} {}: {}", tag(cleared.event()), id, subject, text);
        post(TOPIC_CLEARED, cleared);
    }

    @Override
    public synchronized List<Alarm> active() {
        List<Alarm> out = new ArrayList<>(active.values());
        out.sort(Comparator.comparingLong(Alarm::firstSeen));
        return out;
    }

    @Override
    public synchronized List<Alarm> history() {
        return new ArrayList<>(history);
    }

    private static String tag(ProxyEvent event) {
        return event == null ? "no catalogue event" : event.id() + " " + event.name();
    }

    private void remember(Alarm alarm) {
        history.addFirst(alarm);
        while (history.size() > HISTORY) {
            history.removeLast();
        }
    }

    private void post(String topic, Alarm alarm) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            Map<String, Object> props = new HashMap<>();
            props.put("id", alarm.id());
            props.put("event", alarm.eventId());
            props.put("severity", alarm.severity().name());
            props.put("subject", alarm.subject());
            props.put("text", alarm.text());
            ea.postEvent(new Event(topic, props));
        }
    }
}
