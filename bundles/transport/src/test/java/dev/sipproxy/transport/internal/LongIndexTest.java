package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

/** The index of longs behaves as a map from (hash, position) pairs, through growth and backward-shift deletions. */
public class LongIndexTest {

    @Test
    public void matchesAMapThroughRandomPutsAndRemovals() {
        LongIndex index = new LongIndex(100_000);
        Map<Long, Long> model = new HashMap<>(); // position -> hash
        Random random = new Random(7);
        long next = 1;
        for (int step = 0; step < 200_000; step++) {
            if (model.size() < 5000 && random.nextInt(3) > 0) {
                long hash = random.nextInt(3000) - 1; // many shared hashes, 0 among them
                long position = next++;
                assertEquals(-1, index.put(hash, position, p -> false));
                model.put(position, hash);
            } else if (!model.isEmpty()) {
                long position = model.keySet().iterator().next();
                assertTrue(index.remove(model.remove(position), position));
                assertFalse(index.remove(0, position));
            }
        }
        assertEquals(model.size(), index.size());
        for (Map.Entry<Long, Long> e : model.entrySet()) {
            boolean found = false;
            for (int s = index.first(e.getValue()); s >= 0; s = index.next(s, e.getValue())) {
                found |= index.position(s) == e.getKey();
            }
            assertTrue("position " + e.getKey() + " under hash " + e.getValue(), found);
        }
    }

    @Test
    public void aPutOfTheSameKeyReplacesItsPosition() {
        LongIndex index = new LongIndex(10);
        index.put(5, 100, p -> false);
        index.put(5, 200, p -> false);
        assertEquals(100, index.put(5, 300, p -> p == 100));
        assertEquals(2, index.size());
        assertFalse(index.remove(5, 100));
        assertTrue(index.remove(5, 300));
        assertTrue(index.remove(5, 200));
        assertEquals(-1, index.first(5));
    }
}
