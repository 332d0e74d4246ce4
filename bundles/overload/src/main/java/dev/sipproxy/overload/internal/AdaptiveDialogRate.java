package dev.sipproxy.overload.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Limits new dialogs to the rate the proxy keeps up with, found from its receive backlog (how long
 * the oldest received, unprocessed message has waited, sampled every 50 ms or so). It starts
 * limiting when the backlog, averaged over the latest {@link #ONSET_SAMPLES} samples, goes over its
 * limit, at seven tenths of the rate admitted in the last second. Then, every half second, it looks
 * at the backlog averaged over that half second: over the limit and not below the half second
 * before, the rate is cut by the same factor; under half the limit, it is raised by a tenth of the
 * rate offered in the last second, admitted or refused (or of the starting rate, if more). It stops
 * limiting once the backlog stayed under half the limit and no new dialog was refused for
 * {@link #QUIET_NANOS}: the offered load fits again.
 *
 * <p>Why: a proxy that takes in more than it can process falls further behind with every call it
 * admits; UDP peers retransmit what waits (from 500 ms on), which adds load, and the messages of
 * calls in progress wait behind new INVITEs until those calls fail too. A 503 costs a fraction of a
 * proxied call. Refusing everything while behind and admitting everything once caught up swings
 * between the two and completes few calls; a rate that follows the backlog settles near what the
 * proxy can carry (multiplicative decrease, gentle increase). A configured limit
 * (overload-ctrl-dialog-rate) cannot do this alone: what a proxy can carry changes with the
 * machine, the transport and what else runs on it.
 *
 * <p>Averages, because a single sample says little: a collection pause or a descheduled reader
 * shows as a backlog for a moment, and the TCP backlog is an estimate that jumps from read to read
 * (decided on single samples, a proxy offered 3500 calls a second over TCP, of which it could carry
 * 3000, was cut down to 676 and completed 1823 a second). The raise follows the offered rate: a
 * limit that started low (a JVM not yet compiled falls behind at a few hundred calls a second, and
 * little was admitted in its first second) climbs back to it within five seconds.
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
    /** Added every half second while caught up, as a share of the rate offered (or the starting rate, if more). */
    static final double INCREASE = 0.1;
    /** Never below this: some calls always get through, and the rate can climb back. */
    static final int MIN_RATE = 10;
    /** How many of the latest samples are averaged to tell whether the proxy is behind (or caught up). */
    static final int ONSET_SAMPLES = 4;

    private final LongSupplier nanoClock;
    private final DialogRateLimiter limiter;
    private final Listener listener;
    private volatile boolean limiting;
    /** When a new dialog was last refused (written coarsely by admitting threads). */
    private volatile long lastRefusal;
    // written and read by the sampling thread only
    private final long[] latest = new long[ONSET_SAMPLES];
    private int latestCount;
    private int latestSlot;
    private long windowSum;
    private int windowSamples;
    private long lastWindowMean;
    private double rate;
    private double startRate;
    private long lastAdjust;
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
     * @param backlogMillis      how long the oldest unprocessed message has waited, measured against
     *                           {@code limitMillis} (see {@link OverloadSettings#backlogAgainstLimit})
     * @param limitMillis        the most it may wait (see {@link OverloadSettings#queueDelayLimit}); 0 turns this off
     * @param admittedPerSecond  new dialogs admitted over the last second
     * @param offeredPerSecond   new dialogs that came over the last second, admitted or refused
     */
    void sample(long backlogMillis, int limitMillis, double admittedPerSecond, double offeredPerSecond) {
        long now = nanoClock.getAsLong();
        long latestMean = addLatest(backlogMillis);
        if (limitMillis <= 0) {
            if (limiting) {
                end(backlogMillis);
            }
            return;
        }
        if (!limiting) {
            if (latestMean > limitMillis) {
                setRate(Math.max(MIN_RATE, admittedPerSecond * DECREASE));
                startRate = rate;
                lowestRate = (int) rate;
                peakMillis = backlogMillis;
                lastWindowMean = latestMean;
                windowSum = 0;
                windowSamples = 0;
                lastAdjust = now;
                lastRefusal = now;
                limiting = true;
                listener.limitingStarted(latestMean, limitMillis, (int) rate);
            }
            return;
        }
        peakMillis = Math.max(peakMillis, backlogMillis);
        windowSum += backlogMillis;
        windowSamples++;
        if (latestMean <= limitMillis / 2 && now - lastRefusal >= QUIET_NANOS) {
            end(backlogMillis);
            return;
        }
        if (now - lastAdjust < ADJUST_EVERY_NANOS) {
            return;
        }
        lastAdjust = now;
        long mean = windowSum / windowSamples;
        windowSum = 0;
        windowSamples = 0;
        // a backlog that shrinks is draining: the last cut works, another would overshoot
        if (mean > limitMillis && mean >= lastWindowMean) {
            setRate(Math.max(MIN_RATE, rate * DECREASE));
            lowestRate = Math.min(lowestRate, (int) rate);
        } else if (mean <= limitMillis / 2) {
            setRate(rate + Math.max(MIN_RATE, Math.max(startRate, offeredPerSecond) * INCREASE));
        }
        lastWindowMean = mean;
    }

    /** Adds a sample to the latest ones; returns their mean. */
    private long addLatest(long backlogMillis) {
        latest[latestSlot] = backlogMillis;
        latestSlot = (latestSlot + 1) % latest.length;
        latestCount = Math.min(latestCount + 1, latest.length);
        long sum = 0;
        for (int i = 0; i < latestCount; i++) {
            sum += latest[i];
        }
        return sum / latestCount;
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
