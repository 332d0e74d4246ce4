package dev.sipproxy.jainsip;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.log4j.Logger;

/**
 * A hashed timing wheel: one ticker thread, every {@value #TICK_MILLIS} ms, hands the tasks that are
 * due to a fixed pool of worker threads, in batches.
 *
 * <p>Why not a {@link java.util.concurrent.ScheduledThreadPoolExecutor}: JAIN-SIP gives every client
 * and every INVITE server transaction a timer that fires every 500 ms while it lives, and every
 * answered non-INVITE server transaction over UDP a 32 s one (Timer J), so the executor's one priority
 * queue holds tens of thousands of entries; in a run at 1750 calls/s that collapsed, re-sorting it
 * under its lock took a quarter of the proxy's CPU samples. Here scheduling, firing and
 * cancelling cost the same whatever the number of timers: a new timer goes into a lock-free queue, the
 * ticker files it in the bucket of its tick, and each tick looks at one bucket only.
 *
 * <p>A task never runs before its delay, and at most about one tick after it while the ticker keeps
 * up. A periodic task is scheduled again when its run ends (fixed delay). Cancelling drops the task at
 * once (the small entry leaves its bucket when the ticker next passes it). Stopping drops every task
 * not yet started and never interrupts a running one.
 */
final class TimerWheel {
    static final long TICK_MILLIS = 10;
    /** 1024 ticks of 10 ms: a turn of 10.24 s, longer than any SIP retransmission interval. */
    static final int WHEEL_SIZE = 1024;
    /** Due tasks go to the workers this many at a time: one queue hand-off per batch, not per task. */
    private static final int BATCH = 32;

    private static final Logger LOG = Logger.getLogger("dev.sipproxy.jainsip");

    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int CANCELLED = 3;

    private final long tickNanos;
    private final int wheelSize;
    private final int mask;
    private final ConcurrentLinkedQueue<Entry> arrivals = new ConcurrentLinkedQueue<>();
    /** Bucket lists, touched by the ticker thread only. */
    private final Entry[] buckets;
    private final ThreadPoolExecutor workers;
    private final Thread ticker;
    private final long origin = System.nanoTime();
    private volatile boolean running = true;

    TimerWheel(String name, int threads) {
        this(name, threads, TICK_MILLIS, WHEEL_SIZE);
    }

    /** For tests: another tick and wheel size (a power of two). */
    TimerWheel(String name, int threads, long tickMillis, int wheelSize) {
        if (wheelSize <= 0 || Integer.bitCount(wheelSize) != 1) {
            throw new IllegalArgumentException("wheel size " + wheelSize + " is not a power of two");
        }
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.wheelSize = wheelSize;
        this.mask = wheelSize - 1;
        this.buckets = new Entry[wheelSize];
        AtomicInteger count = new AtomicInteger();
        workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-timer-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        workers.prestartAllCoreThreads();
        ticker = new Thread(this::turn, name + "-timer-tick");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** A scheduled task; {@link #cancel()} stops it. */
    interface Handle {
        /** @return true if the task was waiting or running (a periodic one will not run again) */
        boolean cancel();
    }

    Handle schedule(Runnable task, long delayMillis) {
        return add(new Entry(task, delayMillis, 0));
    }

    Handle scheduleWithFixedDelay(Runnable task, long delayMillis, long periodMillis) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period " + periodMillis + " ms");
        }
        return add(new Entry(task, delayMillis, TimeUnit.MILLISECONDS.toNanos(periodMillis)));
    }

    boolean isRunning() {
        return running;
    }

    /** Drops every task not started; running ones finish, uninterrupted; the threads end. */
    void stop() {
        running = false;
        LockSupport.unpark(ticker);
        workers.shutdown();
    }

    private Entry add(Entry e) {
        if (!running) {
            // as the stack's own timers do: a stopped stack schedules nothing
            throw new IllegalStateException("The SIP stack timer has been stopped, no new tasks can be scheduled");
        }
        arrivals.add(e);
        return e;
    }

    /** The ticker thread: tick n is handled no earlier than origin + n ticks. */
    private void turn() {
        long tick = 1;
        Entry[] batch = new Entry[BATCH];
        while (running) {
            long wait = origin + tick * tickNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue; // woken early, spuriously or by stop
            }
            file(tick);
            expire(tick, batch);
            tick++;
        }
        arrivals.clear();
        Arrays.fill(buckets, null);
    }

    /** Puts the newly scheduled tasks in the buckets of their ticks (a late one in this tick's). */
    private void file(long tick) {
        Entry e;
        while ((e = arrivals.poll()) != null) {
            if (e.state.get() == CANCELLED) {
                continue;
            }
            long due = Math.max(tick, ceilDiv(e.deadline - origin, tickNanos));
            e.rounds = (due - tick) / wheelSize;
            int i = (int) (due & mask);
            e.next = buckets[i];
            buckets[i] = e;
        }
    }

    /** Hands this tick's due tasks to the workers; unlinks them and the cancelled ones. */
    private void expire(long tick, Entry[] batch) {
        int i = (int) (tick & mask);
        int n = 0;
        Entry prev = null;
        Entry e = buckets[i];
        while (e != null) {
            Entry next = e.next;
            int state = e.state.get();
            boolean due = e.rounds <= 0;
            if (state == CANCELLED || due) {
                if (prev == null) {
                    buckets[i] = next;
                } else {
                    prev.next = next;
                }
                e.next = null;
                if (due && state == WAITING) {
                    batch[n++] = e;
                    if (n == BATCH) {
                        dispatch(batch, n);
                        n = 0;
                    }
                }
            } else {
                e.rounds--;
                prev = e;
            }
            e = next;
        }
        if (n > 0) {
            dispatch(batch, n);
        }
    }

    private void dispatch(Entry[] batch, int n) {
        Entry[] copy = Arrays.copyOf(batch, n);
        Arrays.fill(batch, 0, n, null);
        try {
            workers.execute(() -> {
                for (Entry e : copy) {
                    if (!running) {
                        return;
                    }
                    e.run();
                }
            });
        } catch (RejectedExecutionException stopped) {
            // stop() came between the tick and the hand-off: the tasks are dropped, as stop says
        }
    }

    /** Where a failure happened, on the same line: its first frames, innermost first. */
    static String where(Throwable failure) {
        StackTraceElement[] frames = failure.getStackTrace();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(4, frames.length); i++) {
            b.append(i == 0 ? " at " : " < ").append(frames[i].getClassName()).append('.')
                    .append(frames[i].getMethodName()).append(':').append(frames[i].getLineNumber());
        }
        return b.toString();
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private final class Entry implements Handle {
        /** Null once the task is cancelled or done, so the entry no longer holds what the task refers to. */
        private volatile Runnable task;
        private final long periodNanos;
        private final AtomicInteger state = new AtomicInteger(WAITING);
        /** Written before the entry enters the arrival queue, read by the ticker after it leaves it. */
        private long deadline;
        /** Ticker thread only. */
        private long rounds;
        private Entry next;

        Entry(Runnable task, long delayMillis, long periodNanos) {
            this.task = task;
            this.periodNanos = periodNanos;
            this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
        }

        void run() {
            Runnable t = task;
            if (t == null || !state.compareAndSet(WAITING, RUNNING)) {
                return;
            }
            try {
                t.run();
            } catch (RuntimeException | Error failure) {
                LOG.warn("SIP stack timer task failed: " + failure + where(failure));
            }
            if (periodNanos == 0) {
                if (state.compareAndSet(RUNNING, DONE)) {
                    task = null;
                }
            } else if (state.compareAndSet(RUNNING, WAITING)) {
                deadline = System.nanoTime() + periodNanos;
                if (running) {
                    arrivals.add(this);
                }
            }
        }

        @Override
        public boolean cancel() {
            for (;;) {
                int s = state.get();
                if (s == DONE || s == CANCELLED) {
                    return false;
                }
                if (state.compareAndSet(s, CANCELLED)) {
                    task = null;
                    return true;
                }
            }
        }
    }
}
