package dev.sipproxy.transport.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Entries under a string key that all live the same time, in place of ended transactions that the
 * stack would otherwise keep whole for a timer of RFC 3261 section 17.
 *
 * <p>Every entry lives the same time, so the order they came in is the order they expire in: a
 * queue beside the map lets each addition drop the expired ones from its head. Past
 * {@code maxEntries} the oldest go first.
 */
class ExpiringTable<E extends ExpiringTable.Entry> {

    /** What the table keeps: its key and when it expires (a time of the table's clock). */
    interface Entry {
        String key();

        long expiresAt();
    }

    private final ConcurrentHashMap<String, E> byKey = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<E> inArrivalOrder = new ConcurrentLinkedQueue<>();
    private final ReentrantLock expiring = new ReentrantLock();
    private final long lifetimeMillis;
    private final int maxEntries;
    private final LongSupplier clock;

    ExpiringTable(long lifetimeMillis, int maxEntries, LongSupplier clock) {
        this.lifetimeMillis = lifetimeMillis;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** When an entry added now expires. */
    final long expiryOfNew() {
        return clock.getAsLong() + lifetimeMillis;
    }

    final void add(E entry) {
        byKey.put(entry.key(), entry);
        inArrivalOrder.add(entry);
        expire();
    }

    /** The live entry under {@code key}, or null. */
    final E find(String key) {
        E e = byKey.get(key);
        return e == null || e.expiresAt() <= clock.getAsLong() ? null : e;
    }

    final boolean isEmpty() {
        return byKey.isEmpty();
    }

    final int size() {
        return byKey.size();
    }

    /** Drops the expired entries (and the oldest beyond the bound); one thread at a time, the others go on. */
    private void expire() {
        if (!expiring.tryLock()) {
            return;
        }
        try {
            long now = clock.getAsLong();
            E head;
            while ((head = inArrivalOrder.peek()) != null && (head.expiresAt() <= now || byKey.size() > maxEntries)) {
                inArrivalOrder.poll();
                // a key added again holds its newer entry: only the entry itself leaves
                byKey.remove(head.key(), head);
            }
        } finally {
            expiring.unlock();
        }
    }
}
