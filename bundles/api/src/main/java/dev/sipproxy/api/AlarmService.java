package dev.sipproxy.api;

import java.util.List;

/**
 * Where bundles raise and clear alarms. Raising an active alarm again only counts it; clearing an
 * alarm that is not active does nothing. Each raise and clear is logged with its event id and
 * posted on EventAdmin under {@link #TOPIC_RAISED} or {@link #TOPIC_CLEARED}.
 */
public interface AlarmService {
    String TOPIC_RAISED = "dev/sipproxy/alarm/RAISED";
    String TOPIC_CLEARED = "dev/sipproxy/alarm/CLEARED";

    /** Raises an alarm stemming from {@code event}, with that event's severity. */
    void raise(String id, ProxyEvent event, String subject, String text);

    /** Raises an alarm that no catalogue event describes (such as overload). */
    void raise(String id, ProxyEvent.Severity severity, String subject, String text);

    void clear(String id, String subject, String text);

    /** The active alarms, oldest first. */
    List<Alarm> active();

    /** Recently raised and cleared alarms (bounded), newest first. */
    List<Alarm> history();
}
