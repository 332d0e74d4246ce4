package dev.sipproxy.transport.internal;

import java.util.function.LongSupplier;

/**
 * The keys of ended transactions over UDP, kept for a timer of RFC 3261 section 17 in place of the
 * transactions themselves, to absorb the retransmissions that the transactions would have absorbed.
 *
 * <p>Two uses. A non-INVITE client transaction in the Completed state only absorbs retransmissions
 * of its final response for Timer K (T4, RFC 3261 17.1.2.2). An INVITE server transaction that sent
 * a 2xx only absorbs retransmissions of its INVITE for Timer L (64*T1, the Accepted state of RFC
 * 6026). The stack kept whole transaction objects for both (locks, timer task, listener sets, the
 * request's Contact and routing hop: over a kilobyte each), 5 s per BYE and 2.5 s per INVITE: at
 * 1500 calls/s most of what was alive in the young generation at each collection, and so of its
 * pause. An entry here is the key alone; a message whose key is found is dropped, as the transaction
 * would have done.
 *
 * <p>Past its bound the oldest keys go first; a late retransmission is then handled as one with no
 * transaction (a response forwarded statelessly, RFC 3261 16.7; an INVITE forwarded again, to be
 * absorbed by the next hop), as it would be after the timer.
 */
final class EndedTransactions extends ExpiringTable<EndedTransactions.Ended> {

    /** A transaction's key (its branch, and for a CANCEL the method too) until its timer ends. */
    record Ended(String key, long expiresAt) implements ExpiringTable.Entry {
    }

    EndedTransactions(long lifetimeMillis, int maxEntries, LongSupplier clock) {
        super(lifetimeMillis, maxEntries, clock);
    }

    void add(String key) {
        add(new Ended(key, expiryOfNew()));
    }

    /** Whether a message with {@code key} is a retransmission that an ended transaction would absorb. */
    boolean absorbs(String key) {
        return find(key) != null;
    }
}
