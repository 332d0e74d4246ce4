package dev.sipproxy.overload.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.Test;

public class DialogRateLimiterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Offers {@code offeredPerSecond} calls per second, evenly spaced, for {@code seconds}; returns how many got through. */
    private static long offer(DialogRateLimiter limiter, FakeClock clock, int offeredPerSecond, int seconds) {
        long calls = (long) offeredPerSecond * seconds;
        long step = SECOND / offeredPerSecond;
        long admitted = 0;
        for (long i = 0; i < calls; i++) {
            if (limiter.tryAcquire()) {
                admitted++;
            }
            clock.advanceNanos(step);
        }
        return admitted;
    }

    @Test
    public void rateZeroAdmitsEverythingWithoutReadingTheClock() {
        FakeClock clock = new FakeClock(123);
        DialogRateLimiter limiter = new DialogRateLimiter(clock);
        limiter.setRate(0, 0);
        long readsBefore = clock.reads.sum();
        for (int i = 0; i < 1_000_000; i++) {
            assertTrue(limiter.tryAcquire());
        }
        assertEquals("rate 0 must not even read the clock", readsBefore, clock.reads.sum());
        assertEquals(0, limiter.rate());
    }

    @Test
    public void aNewLimiterHasNoLimit() {
        DialogRateLimiter limiter = new DialogRateLimiter(new FakeClock(0));
        for (int i = 0; i < 10_000; i++) {
            assertTrue(limiter.tryAcquire());
        }
    }

    @Test
    public void offeringTwiceTheRateForTenSecondsAdmitsTheRate() {
        for (int rate : new int[] {1, 7, 100, 333, 1000, 25_000}) {
            FakeClock clock = new FakeClock(-5 * SECOND); // crosses zero on the way
            DialogRateLimiter limiter = new DialogRateLimiter(clock);
            int burst = OverloadSettings.automaticBurst(rate);
            limiter.setRate(rate, burst);
            long admitted = offer(limiter, clock, 2 * rate, 10);
            long expected = 10L * rate;
            assertTrue("rate " + rate + ": admitted " + admitted + " of " + expected,
                    admitted >= Math.floor(expected * 0.95) && admitted <= Math.ceil(expected * 1.05) + burst);
        }
    }

    @Test
    public void survivesTheWrapAroundOfNanoTime() {
        FakeClock clock = new FakeClock(Long.MAX_VALUE - 3 * SECOND);
        DialogRateLimiter limiter = new DialogRateLimiter(clock);
        limiter.setRate(100, 10);
        long admitted = offer(limiter, clock, 200, 10);
        assertTrue("admitted " + admitted, admitted >= 950 && admitted <= 1050 + 10);
    }

    @Test
    public void simultaneousCallsGetOnlyTheBurstThrough() {
        FakeClock clock = new FakeClock(0);
        DialogRateLimiter limiter = new DialogRateLimiter(clock);
        limiter.setRate(100, 10);
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            if (limiter.tryAcquire()) {
                admitted++;
            }
        }
        assertEquals(10, admitted);
        // one emission interval (10 ms) later exactly one more
        clock.advance(10, TimeUnit.MILLISECONDS);
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
        // after an idle second the whole burst is back, but not more
        clock.advance(1, TimeUnit.SECONDS);
        admitted = 0;
        for (int i = 0; i < 1000; i++) {
            if (limiter.tryAcquire()) {
                admitted++;
            }
        }
        assertEquals(10, admitted);
    }

    @Test
    public void burstOfOneSpacesCallsEvenly() {
        FakeClock clock = new FakeClock(0);
        DialogRateLimiter limiter = new DialogRateLimiter(clock);
        limiter.setRate(4, 1);
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
        clock.advance(249, TimeUnit.MILLISECONDS);
        assertFalse(limiter.tryAcquire());
        clock.advance(1, TimeUnit.MILLISECONDS);
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
    }

    @Test
    public void aRateChangeTakesEffectImmediately() {
        FakeClock clock = new FakeClock(0);
        DialogRateLimiter limiter = new DialogRateLimiter(clock);
        limiter.setRate(1000, 100);
        long admitted = offer(limiter, clock, 2000, 1);
        assertTrue("admitted " + admitted, admitted >= 1000 && admitted <= 1100);

        // slower: from the next call on, 10/s (burst 1) even though the bucket was just busy at 1000/s
        limiter.setRate(10, 1);
        assertEquals(10, limiter.rate());
        admitted = offer(limiter, clock, 2000, 1);
        assertTrue("admitted " + admitted, admitted >= 9 && admitted <= 11);

        // faster: the next call already gets through, and the new rate holds from there
        limiter.setRate(5000, 500);
        assertTrue(limiter.tryAcquire());
        admitted = offer(limiter, clock, 10_000, 1);
        assertTrue("admitted " + admitted, admitted >= 4750 && admitted <= 5250 + 500);

        // no limit at once
        limiter.setRate(0, 0);
        assertEquals(20_000, offer(limiter, clock, 20_000, 1));

        // and back to a limit: starts with a full burst
        limiter.setRate(50, 5);
        admitted = 0;
        for (int i = 0; i < 100; i++) {
            if (limiter.tryAcquire()) {
                admitted++;
            }
        }
        assertEquals(5, admitted);
    }

    @Test
    public void concurrentCallersAtAFrozenInstantGetExactlyTheBurst() throws Exception {
        FakeClock clock = new FakeClock(0);
        DialogRateLimiter limiter = new DialogRateLimiter(clock);
        limiter.setRate(1000, 50);
        LongAdder admitted = new LongAdder();
        runThreads(4, () -> {
            for (int i = 0; i < 100_000; i++) {
                if (limiter.tryAcquire()) {
                    admitted.increment();
                }
            }
        });
        assertEquals(50, admitted.sum());
    }

    @Test
    public void concurrentCallersWithAMovingClockAreNotOverAdmitted() throws Exception {
        int rate = 10_000;
        int burst = 100;
        int threads = 4;
        int callsPerThread = 500_000;
        long step = SECOND / (2L * rate); // all threads together offer twice the rate
        FakeClock clock = new FakeClock(42);
        DialogRateLimiter limiter = new DialogRateLimiter(clock);
        limiter.setRate(rate, burst);
        long start = clock.peek();
        LongAdder admitted = new LongAdder();
        AtomicLong end = new AtomicLong();
        runThreads(threads, () -> {
            for (int i = 0; i < callsPerThread; i++) {
                if (limiter.tryAcquire()) {
                    admitted.increment();
                }
                end.accumulateAndGet(clock.advanceAndGet(step), Math::max);
            }
        });
        long elapsed = end.get() - start;
        long bound = elapsed * rate / SECOND + burst;
        long expected = elapsed * rate / SECOND;
        assertTrue("admitted " + admitted.sum() + " > bound " + bound, admitted.sum() <= bound);
        assertTrue("admitted " + admitted.sum() + " far below " + expected, admitted.sum() >= expected * 0.95);
    }

    @Test
    public void concurrentCallersOnTheRealClockAreNotOverAdmitted() throws Exception {
        int rate = 2000;
        int burst = 20;
        DialogRateLimiter limiter = new DialogRateLimiter(System::nanoTime);
        limiter.setRate(rate, burst);
        LongAdder admitted = new LongAdder();
        long start = System.nanoTime();
        long until = start + TimeUnit.MILLISECONDS.toNanos(300);
        runThreads(4, () -> {
            while (System.nanoTime() - until < 0) {
                if (limiter.tryAcquire()) {
                    admitted.increment();
                }
            }
        });
        long elapsed = System.nanoTime() - start;
        long bound = elapsed * rate / SECOND + burst + 1;
        assertTrue("admitted " + admitted.sum() + " > bound " + bound, admitted.sum() <= bound);
    }

    private static void runThreads(int n, Runnable body) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(n);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Thread thread = new Thread(() -> {
                try {
                    barrier.await();
                    body.run();
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertTrue(failures.toString(), failures.isEmpty());
    }
}
