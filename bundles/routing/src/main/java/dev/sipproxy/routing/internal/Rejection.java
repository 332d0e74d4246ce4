package dev.sipproxy.routing.internal;

/** Why a request is answered by the proxy instead of forwarded. */
final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final int retryAfter;
    private final java.util.List<String> unsupported;

    Rejection(int statusCode, String reason) {
        this(statusCode, reason, -1);
    }

    Rejection(int statusCode, String reason, int retryAfter) {
        this(statusCode, reason, retryAfter, java.util.List.of());
    }

    private Rejection(int statusCode, String reason, int retryAfter, java.util.List<String> unsupported) {
        super(reason, null, false, false);
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
        this.unsupported = unsupported;
    }

    /** 420 Bad Extension, naming the option tags in an Unsupported header. */
    static Rejection badExtension(java.util.List<String> unsupported) {
        return new Rejection(420, "Proxy-Require names unsupported option tags " + unsupported, -1, java.util.List.copyOf(unsupported));
    }

    /** Option tags for an Unsupported header; empty for all but 420. */
    java.util.List<String> unsupported() {
        return unsupported;
    }

    int statusCode() {
        return statusCode;
    }

    /** Seconds for a Retry-After header, or -1 for none. */
    int retryAfter() {
        return retryAfter;
    }
}
