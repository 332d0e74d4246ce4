package dev.sipproxy.jainsip;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * How long a message arriving now on a connection would wait before its reading thread takes it up,
 * estimated from what is queued and how fast the connection has been worked through while it was
 * behind. A read that filled the whole buffer means more was probably waiting: then the bytes still
 * queued (in the socket and not yet framed) times the time taken per byte, averaged over such reads,
 * is the estimate. A read that did not fill the buffer found the socket drained: nothing waits.
 *
 * <p>Only full reads go into the average: the time a lone message took (a first connection to a next
 * hop, a collection) says nothing about the rate a backlog drains at, and one such message is not
 * overload. While a full read is being processed, what came after it has waited at least as long as
 * that has taken (a proxy far behind shows at once, not only after the read). Written by the
 * reading thread, read by overload control.
 */
final class BacklogEstimate {
    /** Bytes queued on the connection at the moment of asking. */
    interface Queued {
        long bytes() throws IOException;
    }

    private double nanosPerByte;
    private volatile long nanos;
    /** {@link System#nanoTime()} when the full read being processed arrived; 0 when none is. */
    private volatile long fullReadSince;

    /** A read that filled the buffer, arrived at {@code nanoTime}, is being processed. */
    void processingFullRead(long nanoTime) {
        fullReadSince = nanoTime == 0 ? 1 : nanoTime;
    }

    /**
     * After {@code read} bytes were read and processed in {@code tookNanos}; {@code queued} is asked
     * only when the read filled the buffer.
     */
    void processed(int read, long tookNanos, boolean filledBuffer, Queued queued) throws IOException {
        fullReadSince = 0;
        if (read <= 0 || !filledBuffer) {
            nanos = 0;
            return;
        }
        nanosPerByte += ((double) tookNanos / read - nanosPerByte) / 8;
        nanos = (long) (queued.bytes() * nanosPerByte);
    }

    /** Nothing waits any more (the connection has closed). */
    void clear() {
        fullReadSince = 0;
        nanos = 0;
    }

    long millis() {
        long since = fullReadSince;
        long inProcessing = since == 0 ? 0 : System.nanoTime() - since;
        return TimeUnit.NANOSECONDS.toMillis(Math.max(nanos, inProcessing));
    }
}
