package dev.sipproxy.overload.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** A nanosecond clock that only moves when told to, and counts how often it is read. */
final class FakeClock implements LongSupplier {
    private final AtomicLong now;
    final LongAdder reads = new LongAdder();

    FakeClock(long start) {
        now = new AtomicLong(start);
    }

    @Override
    public long getAsLong() {
        reads.increment();
        return now.get();
    }

    void advanceNanos(long nanos) {
        now.addAndGet(nanos);
    }

    long advanceAndGet(long nanos) {
        return now.addAndGet(nanos);
    }

    void advance(long amount, TimeUnit unit) {
        advanceNanos(unit.toNanos(amount));
    }

    long peek() {
        return now.get();
    }
}
