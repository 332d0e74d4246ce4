package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

/** The keys of ended client transactions: they absorb for Timer K and no longer, and the table is bounded. */
public class EndedTransactionsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final EndedTransactions table = new EndedTransactions(5_000, 3, now::get);

    @Test
    public void aKeyAbsorbsUntilTimerKEnds() {
        assertFalse("nothing is absorbed by an empty table", table.absorbs("z9hg4bk-1"));
        table.add("z9hg4bk-1");
        now.addAndGet(4_999);
        assertTrue(table.absorbs("z9hg4bk-1"));
        assertFalse("only the keys added", table.absorbs("z9hg4bk-2"));
        now.addAndGet(1);
        assertFalse("expired with Timer K", table.absorbs("z9hg4bk-1"));
    }

    @Test
    public void pastItsBoundTheOldestKeysGoFirst() {
        for (int i = 1; i <= 5; i++) {
            table.add("z9hg4bk-" + i);
        }
        assertEquals(3, table.size());
        assertFalse(table.absorbs("z9hg4bk-2"));
        assertTrue(table.absorbs("z9hg4bk-3"));
        assertTrue(table.absorbs("z9hg4bk-5"));
    }

    @Test
    public void manyKeysThroughGrowthAndExpiry() {
        EndedTransactions big = new EndedTransactions(32_000, 200_000, now::get);
        for (int i = 0; i < 50_000; i++) {
            big.add("z9hg4bk-" + i);
            if (i % 10_000 == 9_999) {
                now.addAndGet(5_000); // five batches of 10000, 5 s apart
            }
        }
        assertEquals(50_000, big.size());
        assertTrue(big.absorbs("z9hg4bk-0"));
        assertTrue(big.absorbs("z9hg4bk-49999"));
        assertFalse(big.absorbs("z9hg4bk-50000"));
        now.addAndGet(32_000 - 25_000); // the first batch has expired, the second not
        big.add("z9hg4bk-again");
        assertFalse(big.absorbs("z9hg4bk-9999"));
        assertTrue(big.absorbs("z9hg4bk-10000"));
        assertEquals(40_001, big.size());
    }

    @Test
    public void aKeyAddedAgainLivesFromItsLastAddition() {
        table.add("z9hg4bk-1");
        now.addAndGet(3_000);
        table.add("z9hg4bk-1");
        assertEquals(1, table.size());
        now.addAndGet(3_000);
        table.add("z9hg4bk-2");
        assertTrue("the older entry left with its expiry, the newer one stays", table.absorbs("z9hg4bk-1"));
        assertEquals(2, table.size());
        now.addAndGet(2_001);
        assertFalse(table.absorbs("z9hg4bk-1"));
    }
}
