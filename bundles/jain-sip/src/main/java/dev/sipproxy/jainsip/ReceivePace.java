package dev.sipproxy.jainsip;

import java.util.concurrent.TimeUnit;

/**
 * Whether a UDP listening point's receiving thread keeps up with what arrives and may process the
 * datagram it just received itself.
 *
 * <p>Judged from how long each receive took: one that blocked found the socket empty, the thread had
 * caught up; one that returned at once found its datagram waiting, the thread is working off a burst.
 * It keeps up while it found the socket empty less than {@link #BUSY_NANOS} ago. And from how much of
 * its time it spent processing: one thread that processes more than half the time makes everything
 * behind it wait (a queue in front of one server grows steeply past that), where the worker threads
 * share the machine's cores; so above {@link #MAX_PROCESSING_SHARE} in one {@link #WINDOW_NANOS}
 * window, the next window's datagrams go to the workers. For the receiving thread only.
 */
final class ReceivePace {
    /**
     * A receive that took this long or longer blocked (one that finds a datagram waiting returns in a
     * few microseconds; the wake-up of one that blocked alone takes longer).
     */
    static final long WAITED_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** How long a burst may keep the thread from finding the socket empty before it is behind. */
    static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final double MAX_PROCESSING_SHARE = 0.5;

    private long caughtUpAt;
    private boolean caughtUp;
    private long windowStart;
    private long processingInWindow;
    private boolean tooBusy;

    /**
     * @param start when a receive began (System.nanoTime)
     * @param end when it returned with a datagram
     * @return true if the thread keeps up: it may process that datagram itself
     */
    boolean keepsUp(long start, long end) {
        if (end - start >= WAITED_NANOS) {
            caughtUpAt = end;
            caughtUp = true;
        }
        if (end - windowStart >= WINDOW_NANOS) {
            tooBusy = processingInWindow > (end - windowStart) * MAX_PROCESSING_SHARE;
            windowStart = end;
            processingInWindow = 0;
        }
        return caughtUp && !tooBusy && end - caughtUpAt < BUSY_NANOS;
    }

    /** The thread spent {@code nanos} processing a datagram it received. */
    void processed(long nanos) {
        processingInWindow += nanos;
    }
}
