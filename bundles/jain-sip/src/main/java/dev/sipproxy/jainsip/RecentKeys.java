package dev.sipproxy.jainsip;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The 64-bit keys (hashes of Via branches) added in the last while: two generations of an
 * open-addressing table of longs, the older one cleared and reused when the newer is half full or
 * {@code generationMillis} old. A key stays at least until the next turn and at most until the one
 * after. For one thread only (a listening point's receiving thread); no allocation after creation.
 */
final class RecentKeys {
    private final long generationMillis;
    private final LongSupplier clockMillis;
    private final int mask;
    private long[] current;
    private long[] previous;
    private int currentSize;
    private long currentSince;

    /** @param slots table size per generation, a power of two; half of it is the most keys a generation takes */
    RecentKeys(int slots, long generationMillis, LongSupplier clockMillis) {
        if (Integer.bitCount(slots) != 1 || slots < 4) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.mask = slots - 1;
        this.generationMillis = generationMillis;
        this.clockMillis = clockMillis;
        this.current = new long[slots];
        this.previous = new long[slots];
        this.currentSince = clockMillis.getAsLong();
    }

    boolean contains(long key) {
        long k = nonZero(key);
        return find(current, k) || find(previous, k);
    }

    void add(long key) {
        long k = nonZero(key);
        if (find(current, k)) {
            return;
        }
        long now = clockMillis.getAsLong();
        if (currentSize >= (mask + 1) / 2 || now - currentSince >= generationMillis) {
            long[] cleared = previous;
            Arrays.fill(cleared, 0L);
            previous = current;
            current = cleared;
            currentSize = 0;
            currentSince = now;
        }
        int i = slot(k);
        while (current[i] != 0) {
            i = (i + 1) & mask;
        }
        current[i] = k;
        currentSize++;
    }

    private boolean find(long[] table, long k) {
        int i = slot(k);
        long v;
        while ((v = table[i]) != 0) {
            if (v == k) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private int slot(long k) {
        return (int) (k ^ (k >>> 32)) & mask;
    }

    /** 0 marks an empty slot. */
    private static long nonZero(long key) {
        return key == 0 ? 1 : key;
    }
}
