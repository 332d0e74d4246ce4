package dev.sipproxy.transport.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The keys of ended transactions over UDP, kept for a timer of RFC 3261 section 17 in place of the
 * transactions themselves, to absorb the retransmissions that the transactions would have absorbed.
 *
 * <p>Two uses. A non-INVITE client transaction in the Completed state only absorbs retransmissions
 * of its final response for Timer K (T4, RFC 3261 17.1.2.2). An INVITE server transaction that sent
 * a 2xx only absorbs retransmissions of its INVITE for Timer L (64*T1, the Accepted state of RFC
 * 6026). The stack kept whole transaction objects for both (over a kilobyte each). An entry here is
 * a 64-bit hash of the key (from a random seed, so that no one can aim a key at another's) and its
 * expiry, in arrays of longs in the order added, with a {@link LongIndex} over them: nothing a
 * garbage collector traces or copies (as strings, map and queue nodes they were most of what young
 * collections copied once the answers of {@link AnsweredRequests} had gone the same way). Two keys
 * with the same hash are taken for the same: with 64 bits and the few hundred thousand keys the
 * bound allows, a chance under 1 in 10^13 per message that a message is absorbed as another's
 * retransmission.
 *
 * <p>Every key lives the same time, so the oldest expire first. Past its bound the oldest keys go
 * first; a late retransmission is then handled as one with no transaction (a response forwarded
 * statelessly, RFC 3261 16.7; an INVITE forwarded again, to be absorbed by the next hop), as it
 * would be after the timer. Adding and looking up take one lock, for a few hundred nanoseconds.
 */
final class EndedTransactions {
    private static final int INITIAL = 1024;

    private final long lifetimeMillis;
    private final int maxEntries;
    private final LongSupplier clock;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private final LongIndex index;
    /** A ring, in the order added: the hash and expiry of the entry at each position. */
    private long[] hashes = new long[INITIAL];
    private long[] expiries = new long[INITIAL];
    /** Positions (counted from the first entry ever added) of the oldest entry and of the next. */
    private long head;
    private long tail;
    private volatile int size;

    EndedTransactions(long lifetimeMillis, int maxEntries, LongSupplier clock) {
        this.lifetimeMillis = lifetimeMillis;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.index = new LongIndex(maxEntries);
    }

    synchronized void add(String key) {
        long now = clock.getAsLong();
        long h = hash(key);
        expire(now);
        if (tail - head == hashes.length) {
            grow();
        }
        int at = (int) (tail % hashes.length);
        hashes[at] = h;
        expiries[at] = now + lifetimeMillis;
        // a key added again moves to the newer entry; the older one leaves with its expiry
        if (index.put(h, tail, p -> true) < 0) {
            size++;
        }
        tail++;
    }

    /** Whether a message with {@code key} is a retransmission that an ended transaction would absorb. */
    boolean absorbs(String key) {
        if (size == 0) {
            return false;
        }
        long h = hash(key);
        synchronized (this) {
            int slot = index.first(h);
            return slot >= 0 && expiries[(int) (index.position(slot) % hashes.length)] > clock.getAsLong();
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Drops the expired entries from the head, and the oldest while one more would pass the bound. */
    private void expire(long now) {
        while (head < tail) {
            int at = (int) (head % hashes.length);
            // (replaced entries count in the ring, not in size: the ring is held to twice the bound)
            if (expiries[at] > now && size < maxEntries && tail - head < 2L * maxEntries) {
                return;
            }
            if (index.remove(hashes[at], head)) {
                size--;
            }
            head++;
        }
    }

    /** Doubles the ring, keeping every entry at its position. */
    private void grow() {
        int capacity = hashes.length * 2;
        long[] moreHashes = new long[capacity];
        long[] moreExpiries = new long[capacity];
        for (long p = head; p < tail; p++) {
            moreHashes[(int) (p % capacity)] = hashes[(int) (p % hashes.length)];
            moreExpiries[(int) (p % capacity)] = expiries[(int) (p % hashes.length)];
        }
        hashes = moreHashes;
        expiries = moreExpiries;
    }

    private long hash(String key) {
        return LongIndex.hash(seed, key);
    }
}
