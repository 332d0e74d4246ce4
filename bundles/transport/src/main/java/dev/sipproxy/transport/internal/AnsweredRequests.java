package dev.sipproxy.transport.internal;

import gov.nist.javax.sip.stack.MessageProcessor;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The answers of non-INVITE server transactions over UDP, kept for Timer J (64*T1, RFC 3261 17.2.2)
 * in place of the transactions themselves.
 *
 * <p>In the Completed state such a transaction only has to send its final response again whenever
 * its request is retransmitted. The stack kept a whole transaction object for that (locks, timer
 * entry, listener set, parsed headers: about 1.9 KB at 1000 calls/s, 32000 BYE transactions at any
 * time, the largest part of the proxy's live heap). An entry here keeps the key, the sent-by the
 * match needs, the response's bytes and where they went: a third of that.
 *
 * <p>Every entry lives the same time, so the order they came in is the order they expire in: a
 * queue beside the map lets each addition drop the expired ones from its head. Past
 * {@code maxEntries} the oldest go first; a late retransmission then starts a new transaction, as it
 * would after Timer J.
 */
final class AnsweredRequests {

    /** What a retransmission of the request is answered with, and the request's identity to match it. */
    record Answer(String key, String method, String sentByHost, int sentByPort, byte[] response, String host,
                  int port, String transport, MessageProcessor origin, long expiresAt) {

        /** RFC 3261 17.2.3: the same branch (the key), the same sent-by, the same method. */
        boolean matches(String method, String sentByHost, int sentByPort) {
            return this.method.equals(method) && this.sentByPort == sentByPort
                    && this.sentByHost.equalsIgnoreCase(sentByHost);
        }
    }

    private final ConcurrentHashMap<String, Answer> byKey = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Answer> inArrivalOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final ReentrantLock expiring = new ReentrantLock();
    private final long lifetimeMillis;
    private final int maxEntries;
    private final LongSupplier clock;

    AnsweredRequests(long lifetimeMillis, int maxEntries, LongSupplier clock) {
        this.lifetimeMillis = lifetimeMillis;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** When an answer given now expires. */
    long expiryOfNew() {
        return clock.getAsLong() + lifetimeMillis;
    }

    void add(Answer answer) {
        Answer replaced = byKey.put(answer.key(), answer);
        inArrivalOrder.add(answer);
        if (replaced == null) {
            size.incrementAndGet();
        }
        expire();
    }

    /** The live answer under {@code key}, or null. */
    Answer find(String key) {
        Answer a = byKey.get(key);
        return a == null || a.expiresAt() <= clock.getAsLong() ? null : a;
    }

    boolean isEmpty() {
        return size.get() == 0;
    }

    int size() {
        return size.get();
    }

    /** Drops the expired answers (and the oldest beyond the bound); one thread at a time, the others go on. */
    private void expire() {
        if (!expiring.tryLock()) {
            return;
        }
        try {
            long now = clock.getAsLong();
            Answer head;
            while ((head = inArrivalOrder.peek()) != null && (head.expiresAt() <= now || size.get() > maxEntries)) {
                inArrivalOrder.poll();
                if (byKey.remove(head.key(), head)) {
                    size.decrementAndGet();
                }
            }
        } finally {
            expiring.unlock();
        }
    }
}
