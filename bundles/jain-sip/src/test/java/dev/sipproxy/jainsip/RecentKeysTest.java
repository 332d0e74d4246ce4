package dev.sipproxy.jainsip;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class RecentKeysTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final RecentKeys keys = new RecentKeys(16, 1_000, now::get);

    @Test
    public void aKeyIsKnownUntilTheSecondTurnAfterIt() {
        keys.add(42);
        keys.add(0); // 0 marks empty slots, yet is a key like any other
        assertTrue(keys.contains(42));
        assertTrue(keys.contains(0));
        assertFalse(keys.contains(43));
        now.addAndGet(1_000);
        keys.add(7); // the first turn: 42 is in the older generation
        assertTrue(keys.contains(42));
        now.addAndGet(1_000);
        keys.add(8); // the second turn
        assertFalse(keys.contains(42));
        assertTrue(keys.contains(7));
    }

    @Test
    public void aFullGenerationTurnsEarly() {
        for (long k = 1; k <= 8; k++) {
            keys.add(k * 16); // all in one slot: probing
        }
        for (long k = 1; k <= 8; k++) {
            assertTrue(keys.contains(k * 16));
        }
        for (long k = 9; k <= 16; k++) {
            keys.add(k * 16); // half of 16 slots reached: turns without time passing
        }
        assertTrue(keys.contains(16 * 16));
        assertTrue(keys.contains(16));
        keys.add(17 * 16);
        keys.add(18 * 16);
        for (long k = 19; k <= 24; k++) {
            keys.add(k * 16);
        }
        keys.add(25 * 16); // third generation: 1..8 are gone
        assertFalse(keys.contains(16));
        assertTrue(keys.contains(25 * 16));
    }
}
