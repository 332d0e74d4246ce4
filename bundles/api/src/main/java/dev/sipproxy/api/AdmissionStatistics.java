package dev.sipproxy.api;

/**
 * What admission control has done so far, for management and monitoring. Reads are cheap and
 * may be called at any time; the counters only grow while the service is registered.
 */
public interface AdmissionStatistics {

    /** New dialogs admitted since the service started. */
    long admittedDialogs();

    /** New dialogs refused (answered 503) since the service started. */
    long rejectedDialogs();

    /** True while the proxy is refusing new dialogs, that is, since a recent rejection, or while it is {@link #behind()}. */
    boolean overloaded();

    /**
     * True while new dialogs are limited because received messages wait too long
     * (overload-ctrl-max-queue-delay): the proxy is behind.
     */
    boolean behind();

    /** While {@link #behind()}: the new dialogs per second it admits now, adapted to what it keeps up with; else 0. */
    int adaptiveRateLimit();

    /** How long the oldest received, unprocessed message had waited at the last sample, in milliseconds. */
    long receiveBacklogMillis();

    /** The configured limit of new dialogs per second; 0 means no limit. */
    int dialogRateLimit();
}
