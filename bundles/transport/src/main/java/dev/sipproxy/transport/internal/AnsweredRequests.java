package dev.sipproxy.transport.internal;

import dev.sipproxy.jainsip.net.DatagramSender;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import javax.sip.message.Request;

/**
 * The answers of non-INVITE server transactions over UDP, kept for Timer J (64*T1, RFC 3261 17.2.2)
 * in place of the transactions themselves.
 *
 * <p>In the Completed state such a transaction only has to send its final response again whenever
 * its request is retransmitted. The stack kept a whole transaction object for that (about 1.9 KB,
 * 32000 BYE transactions at any time at 1000 calls/s). An answer here is the key, the sent-by the
 * match needs, the response's bytes and where they went, written one after the other into large
 * byte arrays ({@link AnswerLog}), with an index of longs from the key's hash to where the answer
 * is. Kept as objects (a record, its strings, the response's array, map and queue nodes: about 650
 * bytes per BYE) they lived 32 s, long enough to be copied by several young collections before
 * they were promoted: three quarters of what each young collection copied at 1500 calls/s, and so
 * most of its pause. Arrays of bytes and longs hold no references: a collection neither scans nor
 * copies what is in them, and they are allocated once and reused.
 *
 * <p>Every answer lives the same time, so the order they come in is the order they expire in: each
 * addition drops the expired ones from the head of the log. Past {@code maxEntries} the oldest go
 * first; a late retransmission then starts a new transaction, as it would after Timer J.
 *
 * <p>One lock for adding and finding: both are short (a few hundred nanoseconds), and come once per
 * non-INVITE request.
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

    private final long lifetimeMillis;
    private final int maxEntries;
    private final LongSupplier clock;
    private final ToLongFunction<String> hash;
    private final ReentrantLock lock = new ReentrantLock();
    private final AnswerLog log = new AnswerLog();
    private final LongIndex index;
    /** The few distinct senders and transports (one per listening point), by number. */
    private DatagramSender[] origins = new DatagramSender[0];
    private String[] transports = new String[0];
    private volatile int size;

    AnsweredRequests(long lifetimeMillis, int maxEntries, LongSupplier clock) {
        this(lifetimeMillis, maxEntries, clock, seededHash(ThreadLocalRandom.current().nextLong()));
    }

    /** With the key hash given (for tests: one that makes keys collide). */
    AnsweredRequests(long lifetimeMillis, int maxEntries, LongSupplier clock, ToLongFunction<String> hash) {
        this.lifetimeMillis = lifetimeMillis;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.hash = hash;
        this.index = new LongIndex(maxEntries);
    }

    /**
     * Whether the table keeps the answers to {@code method}: every non-INVITE method but CANCEL (an
     * INVITE's and a CANCEL's transactions are matched by the ACK and the CANCEL, and ACK has none).
     */
    static boolean keepsAnswersTo(String method) {
        return method != null && !Request.INVITE.equals(method) && !Request.CANCEL.equals(method)
                && !Request.ACK.equals(method);
    }

    /** When an answer added now expires. */
    long expiryOfNew() {
        return clock.getAsLong() + lifetimeMillis;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The answers that can be found (an answer replaced by a newer one with its key no longer counts). */
    int size() {
        return size;
    }

    /** The byte arrays the log holds (for tests: they are let go of as the answers in them expire). */
    int chunks() {
        lock.lock();
        try {
            return log.chunkCount();
        } finally {
            lock.unlock();
        }
    }

    void add(Answer answer) {
        byte[] key = utf8(answer.key());
        long h = hash.applyAsLong(answer.key());
        lock.lock();
        try {
            expire(clock.getAsLong(), 1);
            int origin = numberOf(answer.origin());
            int transport = numberOf(answer.transport());
            if (origin < 0 || transport < 0) {
                return; // more listening points than a byte counts: not kept, as past the bound
            }
            long position = log.append(answer, key, h, origin, transport);
            if (position < 0) {
                return; // a response or name too large for the log: not kept, as past the bound
            }
            long replaced = index.put(h, position, p -> log.keyEquals(p, key));
            if (replaced < 0) {
                size++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The live answer under {@code key}, or null. */
    Answer find(String key) {
        long h = hash.applyAsLong(key);
        lock.lock();
        try {
            long now = clock.getAsLong();
            byte[] k = null;
            for (int slot = index.first(h); slot >= 0; slot = index.next(slot, h)) {
                long position = index.position(slot);
                if (k == null) {
                    k = utf8(key);
                }
                if (log.isLive(position) && log.keyEquals(position, k)) {
                    return log.expiresAt(position) > now ? log.read(position, key, origins, transports) : null;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the expired answers from the head of the log, and the oldest while {@code room} more would pass the bound. */
    private void expire(long now, int room) {
        while (!log.isEmpty()) {
            long head = log.head();
            if (log.expiresAt(head) > now && size + room <= maxEntries) {
                return;
            }
            if (index.remove(log.keyHash(head), head)) {
                size--;
            }
            log.dropHead();
        }
    }

    /** The number of the answer's sender (by identity), new ones numbered as they come; -1 past 255. */
    private int numberOf(DatagramSender origin) {
        int i = indexOf(origins, origin);
        if (i < 0 && origins.length < 255) {
            i = origins.length;
            origins = Arrays.copyOf(origins, i + 1);
            origins[i] = origin;
        }
        return i;
    }

    /** The number of the answer's transport, as {@link #numberOf(DatagramSender)}. */
    private int numberOf(String transport) {
        int i = Arrays.asList(transports).indexOf(transport);
        if (i < 0 && transports.length < 255) {
            i = transports.length;
            transports = Arrays.copyOf(transports, i + 1);
            transports[i] = transport;
        }
        return i;
    }

    private static int indexOf(Object[] known, Object value) {
        for (int i = 0; i < known.length; i++) {
            if (known[i] == value) {
                return i;
            }
        }
        return -1;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ToLongFunction<String> seededHash(long seed) {
        return key -> LongIndex.hash(seed, key);
    }
}
