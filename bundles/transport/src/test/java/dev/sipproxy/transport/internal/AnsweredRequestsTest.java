package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

/** The table of answers kept for Timer J: found while it runs, gone after it, bounded, matched as RFC 3261 17.2.3 says. */
public class AnsweredRequestsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AnsweredRequests table = new AnsweredRequests(32_000, 3, now::get);

    @Test
    public void anAnswerIsFoundUntilTimerJEnds() {
        AnsweredRequests.Answer a = answer("z9hg4bk-1");
        table.add(a);
        now.addAndGet(31_999);
        assertSame(a, table.find("z9hg4bk-1"));
        now.addAndGet(1);
        assertNull("expired with Timer J", table.find("z9hg4bk-1"));
    }

    @Test
    public void expiredAnswersLeaveWhenTheNextOneComes() {
        table.add(answer("z9hg4bk-1"));
        table.add(answer("z9hg4bk-2"));
        now.addAndGet(40_000);
        table.add(answer("z9hg4bk-3"));
        assertEquals("the two expired ones are gone", 1, table.size());
        assertNotNull(table.find("z9hg4bk-3"));
    }

    @Test
    public void pastItsBoundTheOldestGoFirst() {
        for (int i = 1; i <= 5; i++) {
            table.add(answer("z9hg4bk-" + i));
        }
        assertEquals(3, table.size());
        assertNull(table.find("z9hg4bk-1"));
        assertNull(table.find("z9hg4bk-2"));
        assertNotNull(table.find("z9hg4bk-5"));
    }

    @Test
    public void aKeyAnsweredAgainKeepsTheNewAnswerAndCountsOnce() {
        table.add(answer("z9hg4bk-1"));
        AnsweredRequests.Answer again = answer("z9hg4bk-1");
        table.add(again);
        assertEquals(1, table.size());
        assertSame(again, table.find("z9hg4bk-1"));
        now.addAndGet(40_000);
        table.add(answer("z9hg4bk-2"));
        assertEquals(1, table.size());
        assertFalse(table.isEmpty());
    }

    @Test
    public void aRetransmissionMatchesOnMethodAndSentBy() {
        AnsweredRequests.Answer a = answer("z9hg4bk-1");
        assertTrue(a.matches("BYE", "Host.Example", 5062));
        assertFalse(a.matches("INFO", "host.example", 5062));
        assertFalse(a.matches("BYE", "other.example", 5062));
        assertFalse(a.matches("BYE", "host.example", 5060));
    }

    private AnsweredRequests.Answer answer(String key) {
        return new AnsweredRequests.Answer(key, "BYE", "host.example", 5062, new byte[] {1}, "127.0.0.1", 5062, "UDP",
                null, table.expiryOfNew());
    }
}
