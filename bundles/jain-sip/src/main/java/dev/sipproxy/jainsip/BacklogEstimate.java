package dev.sipproxy.jainsip;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * How long a message arriving now on a connection would wait before its reading thread takes it up,
 * estimated from what is queued and how fast the connection has been worked through: after a read
 * that filled the whole buffer (more was probably waiting), the bytes still queued (in the socket
 * and not yet framed) times the time taken per byte, averaged over recent reads. A read that did not
 * fill the buffer found the socket drained: nothing waits. While a read is being processed, what
 * came after it has waited at least as long as that has taken (a stall, such as a send that blocks,
 * shows at once). Written by the reading thread, read by overload control.
 */
final class BacklogEstimate {
    /** Bytes queued on the connection at the moment of asking. */
    interface Queued {
        long bytes() throws IOException;
    }

    private double nanosPerByte;
    private volatile long nanos;
    /** {@link System#nanoTime()} when the read being processed arrived; 0 when none is. */
    private volatile long processingSince;

    /** Bytes read at {@code nanoTime} are being processed. */
    void reading(long nanoTime) {
        processingSince = nanoTime == 0 ? 1 : nanoTime;
    }

    /**
     * After {@code read} bytes were read and processed in {@code tookNanos}; {@code queued} is asked
     * only when the read filled the buffer.
     */
    void processed(int read, long tookNanos, boolean filledBuffer, Queued queued) throws IOException {
        processingSince = 0;
        if (read <= 0) {
            return;
        }
        nanosPerByte += ((double) tookNanos / read - nanosPerByte) / 8;
        nanos = filledBuffer ? (long) (queued.bytes() * nanosPerByte) : 0;
    }

    /** Nothing waits any more (the connection has closed). */
    void clear() {
        processingSince = 0;
        nanos = 0;
    }

    long millis() {
        long since = processingSince;
        long stalled = since == 0 ? 0 : System.nanoTime() - since;
        return TimeUnit.NANOSECONDS.toMillis(Math.max(nanos, stalled));
    }
}
