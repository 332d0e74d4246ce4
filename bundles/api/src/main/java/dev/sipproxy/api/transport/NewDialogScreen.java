package dev.sipproxy.api.transport;

/**
 * Decides on new dialogs (INVITEs without To tag) over UDP as the transport receives them, before
 * they are parsed ({@link SipTransport#screenNewDialogs}). Called on a receiving thread: every
 * method must be quick and thread-safe.
 */
public interface NewDialogScreen {

    /** True to admit the new dialog; false to have it refused with 503 at once. Asked once per dialog. */
    boolean admitNewDialog();

    /** The Retry-After seconds of a refusal. */
    int retryAfterSeconds();

    /** A To tag for a refusal, by which its ACK is known ({@link #isRefusalTag}). */
    String newRefusalTag();

    /** True for a tag of {@link #newRefusalTag()}: such an ACK ends at the proxy. */
    boolean isRefusalTag(String tag);

    /** Told of every 503 the transport sent on receipt. */
    void refused();
}
