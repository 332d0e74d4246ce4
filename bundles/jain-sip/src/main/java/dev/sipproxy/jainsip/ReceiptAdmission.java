package dev.sipproxy.jainsip;

/**
 * Whether the datagram a worker thread took last was admitted on receipt as a new dialog: set by
 * the queue as the worker takes the datagram, read by the proxy while the same thread processes it.
 */
public final class ReceiptAdmission {
    private static final ThreadLocal<Boolean> ADMITTED = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private ReceiptAdmission() {
    }

    /** True while this thread processes a datagram admitted on receipt. */
    public static boolean admitted() {
        return ADMITTED.get();
    }

    static void taken(boolean admitted) {
        ADMITTED.set(admitted);
    }
}
