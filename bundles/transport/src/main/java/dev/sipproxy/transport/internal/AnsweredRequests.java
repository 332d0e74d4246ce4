package dev.sipproxy.transport.internal;

import dev.sipproxy.jainsip.net.DatagramSender;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import javax.sip.message.Request;

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
                  int port, String transport, DatagramSender origin, long expiresAt) {

        /** RFC 3261 17.2.3: the same branch (the key), the same sent-by, the same method. */
        boolean matches(String method, String sentByHost, int sentByPort) {
            return this.method.equals(method) && this.sentByPort == sentByPort
                    && this.sentByHost.equalsIgnoreCase(sentByHost);
        }
    }

    private final ConcurrentHashMap<String, Answer> byKey = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Answer> inArrivalOrder = new ConcurrentLinkedQueue<>();
    private final ReentrantLock expiring = new ReentrantLock();
    private final long lifetimeMillis;
    private final int maxEntries;
    private final LongSupplier clock;

    AnsweredRequests(long lifetimeMillis, int maxEntries, LongSupplier clock) {
        this.lifetimeMillis = lifetimeMillis;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /**
     * Whether the table keeps the answers to {@code method}: every non-INVITE method but CANCEL (an
     * INVITE's and a CANCEL's transactions are matched by the ACK and the CANCEL, and ACK has none).
     */
    static boolean keepsAnswersTo(String method) {
        return method != null && !Request.INVITE.equals(method) && !Request.CANCEL.equals(method)
                && !Request.ACK.equals(method);
    }

    /** When an answer given now expires. */
    long expiryOfNew() {
        return clock.getAsLong() + lifetimeMillis;
    }

    void add(Answer answer) {
        byKey.put(answer.key(), answer);
        inArrivalOrder.add(answer);
        expire();
    }

    /** The live answer under {@code key}, or null. */
    Answer find(String key) {
        Answer a = byKey.get(key);
        return a == null || a.expiresAt() <= clock.getAsLong() ? null : a;
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    int size() {
        return byKey.size();
    }

    /** Drops the expired answers (and the oldest beyond the bound); one thread at a time, the others go on. */
    private void expire() {
        if (!expiring.tryLock()) {
            return;
        }
        try {
            long now = clock.getAsLong();
            Answer head;
            while ((head = inArrivalOrder.peek()) != null && (head.expiresAt() <= now || byKey.size() > maxEntries)) {
                inArrivalOrder.poll();
                // a key answered again holds its newer answer: only the answer itself leaves
                byKey.remove(head.key(), head);
            }
        } finally {
            expiring.unlock();
        }
    }
}
