package dev.sipproxy.overload.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Whether the proxy is overloaded: it becomes so at the first rejection after a period without,
 * and stops being so once no call was rejected for {@link #quietNanos}. Each change is reported
 * once to the {@link Listener}, never per call. The end is noticed lazily, by {@link #admitted()},
 * {@link #check()} or {@link #overloaded()}; someone should call {@link #check()} now and then so that
 * the end is also seen when no calls come any more.
 */
final class OverloadState {

    /** Told about each change of state, once; called on the thread that noticed the change. */
    interface Listener {
        void overloadStarted();

        void overloadEnded();
    }

    static final long DEFAULT_QUIET_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The time of the last rejection is only written when it moved on by this much: a rejection flood does not contend on it. */
    private static final long REJECTION_TIME_GRANULARITY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LongSupplier nanoClock;
    private final long quietNanos;
    private final Listener listener;
    private final AtomicBoolean overloaded = new AtomicBoolean();
    private volatile long lastRejection;

    OverloadState(LongSupplier nanoClock, long quietNanos, Listener listener) {
        this.nanoClock = nanoClock;
        this.quietNanos = quietNanos;
        this.listener = listener;
    }

    /** A call was refused. */
    void rejected() {
        long now = nanoClock.getAsLong();
        if (now - lastRejection >= REJECTION_TIME_GRANULARITY_NANOS || !overloaded.get()) {
            lastRejection = now;
        }
        if (!overloaded.get() && overloaded.compareAndSet(false, true)) {
            listener.overloadStarted();
        }
    }

    /** A call was admitted: a single volatile read unless overloaded. */
    void admitted() {
        if (overloaded.get()) {
            check();
        }
    }

    /** Ends the overload if there was no rejection for the quiet period. */
    void check() {
        if (overloaded.get() && nanoClock.getAsLong() - lastRejection >= quietNanos
                && overloaded.compareAndSet(true, false)) {
            listener.overloadEnded();
        }
    }

    boolean overloaded() {
        check();
        return overloaded.get();
    }
}
