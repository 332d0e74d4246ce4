package dev.sipproxy.transport.internal;

import java.util.function.LongSupplier;

/**
 * The keys of non-INVITE client transactions over UDP that have their final response, kept for
 * Timer K (T4, RFC 3261 17.1.2.2) in place of the transactions themselves.
 *
 * <p>In the Completed state such a transaction only absorbs retransmissions of the final response.
 * The stack kept a whole transaction object for that (locks, timer task, listener sets, the
 * request's Contact and routing hop: about 1.7 KB), 5 s per BYE: 7500 of them at 1500 calls/s, most
 * of what was alive in the young generation at each collection and so of its pause. An entry here
 * is the key alone; a response whose key is found is dropped, as the transaction would have done.
 *
 * <p>Past its bound the oldest keys go first; a late retransmission is then forwarded statelessly
 * (RFC 3261 16.7, a response with no transaction), as it would be after Timer K.
 */
final class EndedClientTransactions extends ExpiringTable<EndedClientTransactions.Ended> {

    /** A client transaction's key (its branch, and for a CANCEL the method too) until Timer K. */
    record Ended(String key, long expiresAt) implements ExpiringTable.Entry {
    }

    EndedClientTransactions(long lifetimeMillis, int maxEntries, LongSupplier clock) {
        super(lifetimeMillis, maxEntries, clock);
    }

    void add(String key) {
        add(new Ended(key, expiryOfNew()));
    }

    /** Whether a response with {@code key} retransmits the final response of an ended transaction. */
    boolean absorbs(String key) {
        return !isEmpty() && find(key) != null;
    }
}
