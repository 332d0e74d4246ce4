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
}
