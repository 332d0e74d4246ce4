package dev.sipproxy.overload.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A smooth rate limiter: the Generic Cell Rate Algorithm (GCRA, the "virtual scheduling" form of a
 * token bucket). With a rate of R per second, each admission moves a theoretical arrival time (TAT)
 * on by the emission interval T = 1/R; a call is admitted while the TAT is at most the tolerance
 * {@code (burst - 1) * T} ahead of now. So, after an idle period, {@code burst} calls get through at
 * once, and then one every T: there are no per-second windows and no refill thread.
 *
 * <p>{@link #tryAcquire()} is lock-free and allocates nothing: one read of the clock and a CAS loop
 * on one {@link AtomicLong}. With rate 0 it admits at once without reading the clock.
 * Times are {@link System#nanoTime()} values, compared by subtraction so that wrap-around does no harm.
 */
final class DialogRateLimiter {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    /** One rate setting; replaced as a whole so that a call sees interval and tolerance that belong together. */
    private record Limit(int rate, int burst, long intervalNanos, long toleranceNanos) {
        static final Limit NONE = new Limit(0, 0, 0, 0);

        static Limit of(int rate, int burst) {
            if (rate <= 0) {
                return NONE;
            }
            // rounded down: never admits fewer than the configured rate (too many by at most 1 ns per interval)
            long interval = Math.max(1, NANOS_PER_SECOND / rate);
            int b = Math.max(1, burst);
            return new Limit(rate, b, interval, (b - 1) * interval);
        }
    }

    private final LongSupplier nanoClock;
    /** The theoretical arrival time of the next call that conforms exactly to the rate. */
    private final AtomicLong tat;
    private volatile Limit limit = Limit.NONE;

    /** @param nanoClock {@code System::nanoTime} in production; a controllable clock in tests */
    DialogRateLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.tat = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Sets the rate (per second; 0 for no limit) and the burst (at least 1), effective for the next call.
     * Coming from no limit, the full burst is available at once. Otherwise a TAT left ahead of now
     * by the previous rate is pulled back to the new tolerance, so a rate change never holds calls back
     * longer than the new rate itself would. (A call already inside {@link #tryAcquire()} during the
     * change may still be decided by the old rate.) Called by one thread at a time.
     */
    void setRate(int perSecond, int burst) {
        Limit l = Limit.of(perSecond, burst);
        if (l.intervalNanos == 0) {
            limit = l;
            return;
        }
        long now = nanoClock.getAsLong();
        if (limit.intervalNanos == 0) {
            tat.set(now); // nobody moves the TAT while there is no limit
            limit = l;
            return;
        }
        limit = l;
        long latest = now + l.toleranceNanos;
        for (;;) {
            long t = tat.get();
            if (t - latest <= 0 || tat.compareAndSet(t, latest)) {
                return;
            }
        }
    }

    /** True (and counted against the rate) if a call may go through now. */
    boolean tryAcquire() {
        Limit l = limit;
        if (l.intervalNanos == 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        for (;;) {
            long t = tat.get();
            long start = t - now > 0 ? t : now;
            if (start - now > l.toleranceNanos) {
                return false;
            }
            if (tat.compareAndSet(t, start + l.intervalNanos)) {
                return true;
            }
        }
    }

    int rate() {
        return limit.rate;
    }

    int burst() {
        return limit.burst;
    }
}
