package dev.sipproxy.transport.internal;

import dev.sipproxy.jainsip.net.DatagramSender;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link AnsweredRequests.Answer}s written one after the other into byte arrays of {@value #CHUNK}
 * bytes, each found again by its position (a count of bytes from the first ever written), dropped
 * from the head in the order written. An array whose answers have all been dropped is kept for
 * reuse (a few) or let go of. 256 KiB is less than half of G1's smallest region, so an array is
 * an ordinary object: promoted once, then never traced (bytes hold no references). Not
 * thread-safe.
 *
 * <p>An answer: length (int), expiry (long), key hash (long), key, method, sent-by host (each a
 * length as an unsigned short and UTF-8 bytes), sent-by port (int), host (as the key), port (int),
 * transport and origin numbers (a byte each), response length (int) and bytes. An answer never
 * spans two arrays: a length of 0, or fewer than 4 bytes left, ends an array's answers.
 */
final class AnswerLog {
    static final int CHUNK = 256 * 1024;
    private static final int SPARE = 4;
    private static final int FIXED = 4 + 8 + 8 + 2 + 2 + 2 + 4 + 2 + 4 + 1 + 1 + 4;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** The arrays in use, a ring: the one with number {@code first} at {@code ringStart}. */
    private byte[][] ring = new byte[8][];
    private int ringStart;
    private int ringCount;
    private long first;
    private final byte[][] spare = new byte[SPARE][];
    private int spareCount;
    /** Position of the oldest answer; of the next one to write. */
    private long head;
    private long tail;

    boolean isEmpty() {
        return head == tail;
    }

    long head() {
        return head;
    }

    int chunkCount() {
        return ringCount;
    }

    /** Whether an answer starts at {@code position} and has not been dropped. */
    boolean isLive(long position) {
        return position >= head && position < tail;
    }

    /** Writes the answer; its position, or -1 if it cannot be kept (too large). */
    long append(AnsweredRequests.Answer a, byte[] key, long keyHash, int origin, int transport) {
        byte[] method = AnsweredRequests.utf8(a.method());
        byte[] sentBy = AnsweredRequests.utf8(a.sentByHost());
        byte[] host = a.host().equals(a.sentByHost()) ? sentBy : AnsweredRequests.utf8(a.host());
        if (key.length > 0xffff || method.length > 0xffff || sentBy.length > 0xffff || host.length > 0xffff) {
            return -1;
        }
        long length = (long) FIXED + key.length + method.length + sentBy.length + host.length + a.response().length;
        if (length > CHUNK) {
            return -1;
        }
        int len = (int) length;
        if (CHUNK - offset(tail) < len) {
            if (CHUNK - offset(tail) >= 4 && chunkOf(tail) != null) {
                INT.set(chunkOf(tail), offset(tail), 0);
            }
            long next = (tail / CHUNK + 1) * CHUNK;
            if (head == tail) {
                head = next;
            }
            tail = next;
            releaseBefore(head);
        }
        byte[] c = chunkFor(tail);
        int o = offset(tail);
        INT.set(c, o, len);
        LONG.set(c, o + 4, a.expiresAt());
        LONG.set(c, o + 12, keyHash);
        o = putBytes(c, o + 20, key);
        o = putBytes(c, o, method);
        o = putBytes(c, o, sentBy);
        INT.set(c, o, a.sentByPort());
        o = putBytes(c, o + 4, host);
        INT.set(c, o, a.port());
        c[o + 4] = (byte) transport;
        c[o + 5] = (byte) origin;
        INT.set(c, o + 6, a.response().length);
        System.arraycopy(a.response(), 0, c, o + 10, a.response().length);
        long position = tail;
        tail += len;
        return position;
    }

    long expiresAt(long position) {
        return (long) LONG.get(chunkAt(position), offset(position) + 4);
    }

    long keyHash(long position) {
        return (long) LONG.get(chunkAt(position), offset(position) + 12);
    }

    boolean keyEquals(long position, byte[] key) {
        byte[] c = chunkAt(position);
        int o = offset(position) + 20;
        int n = Short.toUnsignedInt((short) SHORT.get(c, o));
        return n == key.length && Arrays.equals(c, o + 2, o + 2 + n, key, 0, n);
    }

    /** The answer at {@code position}, as it was added ({@code key} is its key). */
    AnsweredRequests.Answer read(long position, String key, DatagramSender[] origins, String[] transports) {
        byte[] c = chunkAt(position);
        int o = offset(position);
        long expiresAt = (long) LONG.get(c, o + 4);
        o = skip(c, o + 20);
        String method = string(c, o);
        o = skip(c, o);
        String sentBy = string(c, o);
        o = skip(c, o);
        int sentByPort = (int) INT.get(c, o);
        o += 4;
        String host = string(c, o);
        o = skip(c, o);
        int port = (int) INT.get(c, o);
        String transport = transports[Byte.toUnsignedInt(c[o + 4])];
        DatagramSender origin = origins[Byte.toUnsignedInt(c[o + 5])];
        int n = (int) INT.get(c, o + 6);
        byte[] response = Arrays.copyOfRange(c, o + 10, o + 10 + n);
        return new AnsweredRequests.Answer(key, method, sentBy, sentByPort, response,
                host, port, transport, origin, expiresAt);
    }

    /** Drops the oldest answer. */
    void dropHead() {
        if (head == tail) {
            return;
        }
        head += (int) INT.get(chunkAt(head), offset(head));
        if (head < tail && (CHUNK - offset(head) < 4 || (int) INT.get(chunkAt(head), offset(head)) == 0)) {
            head = (head / CHUNK + 1) * CHUNK;
        }
        if (head > tail) {
            head = tail;
        }
        releaseBefore(head);
    }

    /** Lets go of the arrays wholly before {@code position} (keeping a few for reuse). */
    private void releaseBefore(long position) {
        long keepFrom = position / CHUNK;
        while (ringCount > 0 && first < keepFrom) {
            byte[] c = ring[ringStart];
            ring[ringStart] = null;
            ringStart = (ringStart + 1) % ring.length;
            ringCount--;
            first++;
            if (spareCount < SPARE) {
                spare[spareCount++] = c;
            }
        }
        if (ringCount == 0) {
            first = keepFrom;
        }
    }

    /** The array for the position where the next answer goes, added if it is not there yet. */
    private byte[] chunkFor(long position) {
        long number = position / CHUNK;
        if (ringCount == 0) {
            first = number;
        }
        while (first + ringCount <= number) {
            if (ringCount == ring.length) {
                byte[][] bigger = new byte[ring.length * 2][];
                for (int i = 0; i < ringCount; i++) {
                    bigger[i] = ring[(ringStart + i) % ring.length];
                }
                ring = bigger;
                ringStart = 0;
            }
            byte[] c = spareCount > 0 ? spare[--spareCount] : new byte[CHUNK];
            spare[spareCount] = null;
            ring[(ringStart + ringCount) % ring.length] = c;
            ringCount++;
        }
        return chunkAt(position);
    }

    private byte[] chunkOf(long position) {
        long number = position / CHUNK;
        return number >= first && number < first + ringCount ? chunkAt(position) : null;
    }

    private byte[] chunkAt(long position) {
        return ring[(int) ((ringStart + (position / CHUNK - first)) % ring.length)];
    }

    private static int offset(long position) {
        return (int) (position % CHUNK);
    }

    private static int putBytes(byte[] c, int o, byte[] bytes) {
        SHORT.set(c, o, (short) bytes.length);
        System.arraycopy(bytes, 0, c, o + 2, bytes.length);
        return o + 2 + bytes.length;
    }

    private static int skip(byte[] c, int o) {
        return o + 2 + Short.toUnsignedInt((short) SHORT.get(c, o));
    }

    private static String string(byte[] c, int o) {
        int n = Short.toUnsignedInt((short) SHORT.get(c, o));
        return new String(c, o + 2, n, StandardCharsets.UTF_8);
    }
}
