package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class BacklogEstimateTest {

    @Test
    public void aConnectionThatKeepsUpHasNoBacklog() throws Exception {
        BacklogEstimate e = new BacklogEstimate();
        for (int i = 0; i < 100; i++) {
            e.processed(600, 60_000, false, () -> {
                throw new AssertionError("the socket is not asked when a read did not fill the buffer");
            });
        }
        assertEquals(0, e.millis());
    }

    @Test
    public void queuedBytesTimesTheCostPerByteOfFullReads() throws Exception {
        BacklogEstimate e = new BacklogEstimate();
        // 16 KiB reads, each processed in 16 ms: 1 µs per byte
        for (int i = 0; i < 100; i++) {
            e.processed(16384, 16_384_000, true, () -> 1_000_000);
        }
        // a million bytes waiting at 1 µs each: about a second behind
        assertTrue(e.millis() + " ms", Math.abs(e.millis() - 1000) <= 5);
        e.processed(100, 100_000, false, () -> 0);
        assertEquals("a read that drained the socket: caught up", 0, e.millis());
        e.processed(16384, 16_384_000, true, () -> 300_000);
        assertTrue(e.millis() + " ms", Math.abs(e.millis() - 300) <= 5);
        e.clear();
        assertEquals(0, e.millis());
    }

    @Test
    public void aFullReadStillInProcessingCountsAsWaitingSinceItArrived() throws Exception {
        BacklogEstimate e = new BacklogEstimate();
        e.processingFullRead(System.nanoTime() - 700_000_000L);
        assertTrue(e.millis() + " ms", e.millis() >= 700);
        e.processed(16384, 700_000_000L, true, () -> 0);
        assertEquals("done, and nothing queued behind it", 0, e.millis());
    }

    @Test
    public void oneSlowMessageIsNotABacklog() throws Exception {
        BacklogEstimate e = new BacklogEstimate();
        // a lone message that took 700 ms (a first connection to the next hop, a pause)
        e.processed(500, 700_000_000L, false, () -> 0);
        assertEquals(0, e.millis());
        // and it does not count in the rate a later backlog drains at: 16 KiB in 1.6 ms
        e.processed(16384, 1_638_400, true, () -> 100_000);
        assertTrue(e.millis() + " ms", e.millis() <= 2);
    }
}
