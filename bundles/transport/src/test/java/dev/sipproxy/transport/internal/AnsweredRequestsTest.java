package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertArrayEquals;
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
        assertSameAnswer(a, table.find("z9hg4bk-1"));
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
        assertSameAnswer(again, table.find("z9hg4bk-1"));
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

    @Test
    public void answersFillArraysThatAreLetGoOfAsTheyExpire() {
        AnsweredRequests big = new AnsweredRequests(32_000, 100_000, now::get);
        byte[] response = new byte[900];
        for (int i = 0; i < 2000; i++) {
            response[0] = (byte) i;
            big.add(new AnsweredRequests.Answer("z9hg4bk-" + i, "BYE", "host.example", 5062, response.clone(),
                    "10.0.0." + (i % 7), 5060 + i, "UDP", null, big.expiryOfNew()));
            now.addAndGet(10);
        }
        assertEquals(2000, big.size());
        assertTrue("about 2 MB of answers in 256 KiB arrays", big.chunks() >= 7);
        for (int i = 0; i < 2000; i += 97) {
            AnsweredRequests.Answer a = big.find("z9hg4bk-" + i);
            assertNotNull(a);
            assertEquals((byte) i, a.response()[0]);
            assertEquals(900, a.response().length);
            assertEquals("10.0.0." + (i % 7), a.host());
            assertEquals(5060 + i, a.port());
        }
        now.addAndGet(32_000 - 20_000 + 9_990); // the first 1000 have expired
        big.add(new AnsweredRequests.Answer("z9hg4bk-new", "BYE", "h", 1, new byte[1], "h", 1, "UDP", null, big.expiryOfNew()));
        assertEquals(1001, big.size());
        assertNull(big.find("z9hg4bk-999"));
        assertNotNull(big.find("z9hg4bk-1000"));
        assertTrue("the arrays of the expired answers are let go of", big.chunks() <= 5);
        now.addAndGet(40_000);
        big.add(new AnsweredRequests.Answer("z9hg4bk-last", "BYE", "h", 1, new byte[1], "h", 1, "UDP", null, big.expiryOfNew()));
        assertEquals(1, big.size());
        assertEquals(1, big.chunks());
    }

    @Test
    public void keysWithTheSameHashAreToldApartAndExpireOneByOne() {
        AnsweredRequests colliding = new AnsweredRequests(32_000, 1000, now::get, key -> 42L);
        for (int i = 0; i < 50; i++) {
            colliding.add(new AnsweredRequests.Answer("k" + i, "BYE", "h", i, new byte[] {(byte) i}, "h", i, "UDP", null,
                    colliding.expiryOfNew()));
            now.addAndGet(100);
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(i, colliding.find("k" + i).sentByPort());
        }
        assertNull(colliding.find("k50"));
        now.addAndGet(32_000 - 5_000 + 2_000); // k0..k20 expired, k21.. not
        colliding.add(new AnsweredRequests.Answer("k50", "BYE", "h", 50, new byte[1], "h", 50, "UDP", null, colliding.expiryOfNew()));
        assertNull(colliding.find("k20"));
        for (int i = 21; i <= 50; i++) {
            assertEquals("k" + i, colliding.find("k" + i).key());
        }
        assertEquals(30, colliding.size());
    }

    @Test
    public void theSenderAndTransportComeBackAsAdded() {
        dev.sipproxy.jainsip.net.DatagramSender one = (m, to, port) -> { };
        dev.sipproxy.jainsip.net.DatagramSender two = (m, to, port) -> { };
        table.add(new AnsweredRequests.Answer("a", "MESSAGE", "h\u00e9", 1, new byte[] {7}, "other", 2, "UDP", one, table.expiryOfNew()));
        table.add(new AnsweredRequests.Answer("b", "BYE", "h", 1, new byte[] {8}, "h", 2, "udp", two, table.expiryOfNew()));
        AnsweredRequests.Answer a = table.find("a");
        assertSame(one, a.origin());
        assertEquals("UDP", a.transport());
        assertEquals("MESSAGE", a.method());
        assertEquals("h\u00e9", a.sentByHost());
        assertEquals("other", a.host());
        AnsweredRequests.Answer b = table.find("b");
        assertSame(two, b.origin());
        assertEquals("udp", b.transport());
    }

    private static void assertSameAnswer(AnsweredRequests.Answer expected, AnsweredRequests.Answer actual) {
        assertNotNull(actual);
        assertEquals(expected.key(), actual.key());
        assertEquals(expected.method(), actual.method());
        assertEquals(expected.sentByHost(), actual.sentByHost());
        assertEquals(expected.sentByPort(), actual.sentByPort());
        assertArrayEquals(expected.response(), actual.response());
        assertEquals(expected.host(), actual.host());
        assertEquals(expected.port(), actual.port());
        assertEquals(expected.transport(), actual.transport());
        assertSame(expected.origin(), actual.origin());
        assertEquals(expected.expiresAt(), actual.expiresAt());
    }

    private AnsweredRequests.Answer answer(String key) {
        return new AnsweredRequests.Answer(key, "BYE", "host.example", 5062, new byte[] {1}, "127.0.0.1", 5062, "UDP",
                null, table.expiryOfNew());
    }
}
