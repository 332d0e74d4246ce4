package dev.sipproxy.transport.internal;

import java.util.function.LongPredicate;

/**
 * An index from 64-bit hashes to positions (longs), with open addressing and linear probing, in two
 * arrays of longs: nothing in it for a garbage collector to trace. Several positions may share a
 * hash (the caller tells them apart); deletion shifts the entries after it back, so that no
 * tombstones build up. It grows by doubling up to twice the most entries it is meant for. Not
 * thread-safe.
 */
final class LongIndex {
    private static final int INITIAL = 1024;

    private final int maxCapacity;
    private long[] hashes = new long[INITIAL];
    private long[] positions = new long[INITIAL];
    private int mask = INITIAL - 1;
    private int used;

    LongIndex(int maxEntries) {
        this.maxCapacity = Math.max(INITIAL, Integer.highestOneBit(Math.max(1, maxEntries) - 1) << 2);
    }

    int size() {
        return used;
    }

    /**
     * A 64-bit hash of {@code key} for this index: FNV-1a over its characters from {@code seed}
     * (random per table, so that no one can aim keys at one slot or at another's hash), then mixed.
     */
    static long hash(long seed, CharSequence key) {
        long h = seed ^ 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** The first slot holding {@code hash}, or -1. */
    int first(long hash) {
        long h = nonZero(hash);
        return scan(slot(h), h);
    }

    /** The next slot after {@code slot} holding {@code hash}, or -1. */
    int next(int slot, long hash) {
        return scan((slot + 1) & mask, nonZero(hash));
    }

    long position(int slot) {
        return positions[slot];
    }

    /**
     * Puts {@code position} under {@code hash}, in place of a position under that hash that
     * {@code sameKey} accepts; returns the position replaced, or -1 for a new entry.
     */
    long put(long hash, long position, LongPredicate sameKey) {
        long h = nonZero(hash);
        int i = slot(h);
        long v;
        while ((v = hashes[i]) != 0) {
            if (v == h && sameKey.test(positions[i])) {
                long old = positions[i];
                positions[i] = position;
                return old;
            }
            i = (i + 1) & mask;
        }
        hashes[i] = h;
        positions[i] = position;
        used++;
        if (used * 2 > mask + 1 && mask + 1 < maxCapacity) {
            resize((mask + 1) * 2);
        }
        return -1;
    }

    /** Removes {@code position} from under {@code hash}; false if it was not there. */
    boolean remove(long hash, long position) {
        long h = nonZero(hash);
        for (int i = scan(slot(h), h); i >= 0; i = scan((i + 1) & mask, h)) {
            if (positions[i] == position) {
                delete(i);
                return true;
            }
        }
        return false;
    }

    private int scan(int from, long h) {
        int i = from;
        long v;
        while ((v = hashes[i]) != 0) {
            if (v == h) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Backward-shift deletion: entries after the hole that may move into it do, until an empty slot. */
    private void delete(int hole) {
        int i = hole;
        int j = hole;
        for (;;) {
            j = (j + 1) & mask;
            long v = hashes[j];
            if (v == 0) {
                break;
            }
            int home = slot(v);
            // the entry at j stays where it is if its home lies cyclically in (i, j]
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                hashes[i] = v;
                positions[i] = positions[j];
                i = j;
            }
        }
        hashes[i] = 0;
        positions[i] = 0;
        used--;
    }

    private void resize(int capacity) {
        long[] oldHashes = hashes;
        long[] oldPositions = positions;
        hashes = new long[capacity];
        positions = new long[capacity];
        mask = capacity - 1;
        for (int k = 0; k < oldHashes.length; k++) {
            long v = oldHashes[k];
            if (v != 0) {
                int i = slot(v);
                while (hashes[i] != 0) {
                    i = (i + 1) & mask;
                }
                hashes[i] = v;
                positions[i] = oldPositions[k];
            }
        }
    }

    private int slot(long h) {
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** 0 marks an empty slot. */
    private static long nonZero(long h) {
        return h == 0 ? 1 : h;
    }
}
