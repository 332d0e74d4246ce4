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

    /** True while the proxy is refusing new dialogs, that is, since a recent rejection. */
    boolean overloaded();

    /** The configured limit of new dialogs per second; 0 means no limit. */
    int dialogRateLimit();
}
