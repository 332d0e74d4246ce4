package dev.sipproxy.overload.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Limits new dialogs to the rate the proxy keeps up with, found from its receive backlog (how long
 * the oldest received, unprocessed message has waited). It starts limiting when the backlog goes
 * over its limit, at seven tenths of the rate admitted in the last second; then, every half second,
 * cuts the rate by the same factor while the backlog is over the limit and not shrinking, and
 * raises it by a tenth of the starting rate while the backlog is under half the limit (back where
 * it started within five seconds). It stops limiting once the backlog stayed under half the limit
 * and no new dialog was refused for {@link #QUIET_NANOS}: the offered load fits again.
 *
 * <p>Why: a proxy that takes in more than it can process falls further behind with every call it
 * admits; UDP peers retransmit what waits (from 500 ms on), which adds load, and the messages of
 * calls in progress wait behind new INVITEs until those calls fail too. A 503 costs a fraction of a
 * proxied call. Refusing everything while behind and admitting everything once caught up swings
 * between the two and completes few calls; a rate that follows the backlog settles near what the
 * proxy can carry (multiplicative decrease, gentle increase). A configured limit
 * (overload-ctrl-dialog-rate) cannot do this alone: what a proxy can carry changes with the
 * machine, the transport and what else runs on it.
 */
final class AdaptiveDialogRate {

    /** Told about each change, once, on the sampling thread. */
    interface Listener {
        void limitingStarted(long backlogMillis, int limitMillis, int rate);

        /** @param peakMillis the longest backlog seen while limiting; @param lowestRate the lowest rate it came down to */
        void limitingEnded(long backlogMillis, long peakMillis, int lowestRate);
    }

    static final long ADJUST_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final double DECREASE = 0.7;
    /** Added every half second while caught up, as a share of the rate limiting started at. */
    static final double INCREASE_OF_START = 0.1;
    /** Never below this: some calls always get through, and the rate can climb back. */
    static final int MIN_RATE = 10;

    private final LongSupplier nanoClock;
    private final DialogRateLimiter limiter;
    private final Listener listener;
    private volatile boolean limiting;
    /** When a new dialog was last refused (written coarsely by admitting threads). */
    private volatile long lastRefusal;
    // written and read by the sampling thread only
    private double rate;
    private double startRate;
    private long lastAdjust;
    private long lastAdjustBacklog;
    private long peakMillis;
    private int lowestRate;

    AdaptiveDialogRate(LongSupplier nanoClock, Listener listener) {
        this.nanoClock = nanoClock;
        this.limiter = new DialogRateLimiter(nanoClock);
        this.listener = listener;
    }

    /** Whether a new dialog may go through now: a single volatile read unless limiting. */
    boolean tryAdmit() {
        if (!limiting) {
            return true;
        }
        if (limiter.tryAcquire()) {
            return true;
        }
        lastRefusal = nanoClock.getAsLong();
        return false;
    }

    /**
     * One sample, every 50 ms or so; called from one thread at a time.
     *
     * @param backlogMillis      how long the oldest unprocessed message has waited
     * @param limitMillis        the most it may wait (overload-ctrl-max-queue-delay); 0 turns this off
     * @param admittedPerSecond  new dialogs admitted over the last second
     */
    void sample(long backlogMillis, int limitMillis, double admittedPerSecond) {
        long now = nanoClock.getAsLong();
        if (limitMillis <= 0) {
            if (limiting) {
                end(backlogMillis);
            }
            return;
        }
        if (!limiting) {
            if (backlogMillis > limitMillis) {
                setRate(Math.max(MIN_RATE, admittedPerSecond * DECREASE));
                startRate = rate;
                lastAdjustBacklog = backlogMillis;
                lowestRate = (int) rate;
                peakMillis = backlogMillis;
                lastAdjust = now;
                lastRefusal = now;
                limiting = true;
                listener.limitingStarted(backlogMillis, limitMillis, (int) rate);
            }
            return;
        }
        peakMillis = Math.max(peakMillis, backlogMillis);
        boolean low = backlogMillis <= limitMillis / 2;
        if (low && now - lastRefusal >= QUIET_NANOS) {
            end(backlogMillis);
            return;
        }
        if (now - lastAdjust < ADJUST_EVERY_NANOS) {
            return;
        }
        lastAdjust = now;
        // a backlog that shrinks is draining: the last cut works, another would overshoot
        if (backlogMillis > limitMillis && backlogMillis >= lastAdjustBacklog) {
            setRate(Math.max(MIN_RATE, rate * DECREASE));
            lowestRate = Math.min(lowestRate, (int) rate);
        } else if (low) {
            setRate(rate + Math.max(MIN_RATE, startRate * INCREASE_OF_START));
        }
        lastAdjustBacklog = backlogMillis;
    }

    private void setRate(double perSecond) {
        rate = perSecond;
        int r = (int) Math.round(perSecond);
        limiter.setRate(r, Math.max(1, r / 10));
    }

    private void end(long backlogMillis) {
        limiting = false;
        listener.limitingEnded(backlogMillis, peakMillis, lowestRate);
    }

    /** True while new dialogs are limited because of the backlog. */
    boolean limiting() {
        return limiting;
    }

    /** The rate new dialogs are limited to while {@link #limiting()}. */
    int rate() {
        return limiter.rate();
    }
}
