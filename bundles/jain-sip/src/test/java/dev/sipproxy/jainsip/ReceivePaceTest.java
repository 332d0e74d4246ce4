package dev.sipproxy.jainsip;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.Test;

public class ReceivePaceTest {
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);
    private final ReceivePace pace = new ReceivePace();
    private long now = 1_000_000_000L;

    /** A receive of {@code tookUs} microseconds, after {@code workUs} spent on the datagram before it. */
    private boolean receive(long workUs, long tookUs) {
        now += workUs * US;
        long start = now;
        now += tookUs * US;
        return pace.keepsUp(start, now);
    }

    @Test
    public void aThreadThatFindsTheSocketEmptyKeepsUp() {
        for (int i = 0; i < 100; i++) {
            assertTrue(receive(80, 60)); // processed in 80 us, the next arrived 60 us later
        }
    }

    @Test
    public void aBurstShorterThanAMillisecondIsWorkedOffByTheThread() {
        assertTrue(receive(0, 500));
        for (int i = 0; i < 10; i++) {
            assertTrue("datagram " + i + " of the burst", receive(80, 3)); // 10 x 83 us < 1 ms
        }
        assertTrue("caught up again", receive(80, 200));
    }

    @Test
    public void aThreadThatHasNotFoundTheSocketEmptyForAMillisecondIsBehindUntilItDoes() {
        assertTrue(receive(0, 500));
        int kept = 0;
        for (int i = 0; i < 30; i++) {
            if (receive(80, 3)) {
                kept++;
            }
        }
        assertTrue("the first of the burst only (" + kept + ")", kept == 12);
        assertFalse("still behind", receive(80, 3));
        assertTrue("the socket found empty: caught up", receive(80, 25));
    }

    @Test
    public void aThreadThatProcessedMoreThanHalfTheTimeHandsTheNextWindowsDatagramsOn() {
        int kept = 0;
        for (int i = 0; i < 100; i++) { // 10 ms: 100 datagrams of 60 us each, 40 us apart
            if (receive(60, 40)) {
                pace.processed(60 * US);
                kept++;
            }
        }
        assertTrue("all processed by the thread in the first window (" + kept + ")", kept >= 99);
        int handedOn = 0;
        for (int i = 0; i < 100; i++) { // the next window
            if (!receive(i == 0 ? 60 : 0, 100)) {
                handedOn++;
            }
        }
        assertTrue("the next window's all go to the workers (" + handedOn + ")", handedOn >= 99);
        assertTrue("then the thread takes them again", receive(0, 100));
    }

    @Test
    public void aThreadThatProcessedLessThanHalfTheTimeKeepsProcessing() {
        for (int i = 0; i < 300; i++) {
            assertTrue(receive(40, 60));
            pace.processed(40 * US);
        }
    }

    @Test
    public void aThreadThatStartsWithADatagramWaitingIsBehind() {
        assertFalse(receive(0, 3));
        assertTrue(receive(0, 100));
    }
}
