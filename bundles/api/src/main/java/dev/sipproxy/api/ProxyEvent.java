package dev.sipproxy.api;

/**
 * The catalogue of log events with fixed ids. Operators grep and alert on these ids, so an id never
 * changes meaning. Every log line of an event carries its id and name: see {@link EventLog}.
 */
public enum ProxyEvent {
    SPR_OWN_PROXY_ADDR_NOT_FOUND(40000, Severity.CRITICAL),
    SPR_SIPS_HA_PAIR_UNAVAILABLE(40001, Severity.CRITICAL),
    SPR_OTHER_PROXY_INSTANCE_DISCONNECTED(40002, Severity.MAJOR),
    SPR_ERROR_READING_CONFIG_DATA(40003, Severity.MAJOR),
    SPR_PROXY_INITIALIZED(40004, Severity.INFO),
    SPR_HOST_NOT_RESOLVED(40005, Severity.MAJOR),
    SPR_SIP_LISTENER_CANNOT_START(40006, Severity.CRITICAL),
    PR_MGMT_LISTENER_CANNOT_START(40007, Severity.MAJOR);

    /** How bad an event is; INFO events describe no fault. */
    public enum Severity { INFO, MINOR, MAJOR, CRITICAL }

    private final int id;
    private final Severity severity;

    ProxyEvent(int id, Severity severity) {
        this.id = id;
        this.severity = severity;
    }

    public int id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    /** True for events that describe a fault (and so raise an alarm). */
    public boolean isFault() {
        return severity != Severity.INFO;
    }

    public static ProxyEvent byId(int id) {
        for (ProxyEvent e : values()) {
            if (e.id == id) {
                return e;
            }
        }
        throw new IllegalArgumentException("no event with id " + id);
    }

    @Override
    public String toString() {
        return id + " " + name();
    }
}
