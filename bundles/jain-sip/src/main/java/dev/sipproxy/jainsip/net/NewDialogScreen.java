package dev.sipproxy.jainsip.net;

/**
 * Decides on new dialogs (INVITEs without To tag) as a UDP listening point receives them, before
 * they are parsed or queued for a worker thread (see {@link NewDialogScreens}). Called on the
 * listening point's receiving thread: every method must be quick and thread-safe.
 */
public interface NewDialogScreen {

    /** True to admit the new dialog; false to refuse it with 503 there and then. */
    boolean admitNewDialog();

    /** The Retry-After seconds of a refusal. */
    int retryAfterSeconds();

    /** A To tag for a refusal: its ACK is then known by {@link #isRefusalTag}. */
    String newRefusalTag();

    /** True for a To tag of {@link #newRefusalTag()}: the ACK to a refusal, which ends at the proxy. */
    boolean isRefusalTag(String tag);

    /** Told of every 503 sent on receipt (a first refusal or the answer to a retransmission of one). */
    void refused();
}
