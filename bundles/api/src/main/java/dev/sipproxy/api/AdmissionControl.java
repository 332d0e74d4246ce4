package dev.sipproxy.api;

/** Decides whether the proxy takes a new dialog (an INVITE without To tag) now. */
public interface AdmissionControl {

    /** True to admit; false means answer 503 with {@link #retryAfterSeconds()}. Called once per new INVITE. */
    boolean admitNewDialog();

    /** The Retry-After value for a rejected dialog. */
    int retryAfterSeconds();
}
