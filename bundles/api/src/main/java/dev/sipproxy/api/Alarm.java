package dev.sipproxy.api;

import java.util.Objects;

/**
 * One alarm: what is wrong ({@code id}, stemming from catalogue event {@code event}), about what
 * ({@code subject}, such as a pair or an instance), how bad, since when, how often.
 *
 * @param id        stable identifier of the kind of alarm, e.g. {@code SIPS_HA_PAIR_UNAVAILABLE}
 * @param event     the catalogue event it stems from; null for an alarm no catalogue event describes (overload)
 * @param severity  how bad it is
 * @param subject   what it is about, e.g. {@code pair:default}
 * @param text      a sentence for the operator
 * @param firstSeen wall-clock millis of the first raise since it was last clear
 * @param lastSeen  wall-clock millis of the latest raise
 * @param count     raises since it was last clear
 * @param clearedAt wall-clock millis of the clear, 0 while active
 */
public record Alarm(String id, ProxyEvent event, ProxyEvent.Severity severity, String subject, String text,
                    long firstSeen, long lastSeen, int count, long clearedAt) {

    public Alarm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
    }

    /** The id of the event it stems from, 0 if none. */
    public int eventId() {
        return event == null ? 0 : event.id();
    }

    public boolean active() {
        return clearedAt == 0;
    }

    /** Identifies an alarm among the active ones: one per kind and subject. */
    public String key() {
        return id + "/" + subject;
    }
}
