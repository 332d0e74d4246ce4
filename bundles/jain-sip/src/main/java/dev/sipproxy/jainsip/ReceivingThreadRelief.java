package dev.sipproxy.jainsip;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Keeps a UDP listening point receiving while its receiving thread is held up in a datagram it is
 * processing itself. Nearly all take well under a millisecond; one may take long (a host name to
 * look up, a listener that blocks, the thread descheduled on a busy machine). Once the receiving
 * thread has been on one datagram longer than the stall time, this thread receives in its place,
 * every datagram going to the worker threads, until the receiving thread is back. It looks every
 * {@code checkNanos} and is otherwise parked: the receiving thread only writes a time stamp per
 * datagram, and wakes nobody.
 */
final class ReceivingThreadRelief implements Runnable {
    /** Receives one datagram and queues it for the worker threads; false when the socket is gone. */
    interface QueueingReceiver {
        boolean receiveAndQueue();
    }

    private final QueueingReceiver receiver;
    private final BooleanSupplier running;
    private final long stallNanos;
    private final long checkNanos;
    private final AtomicLong reliefs = new AtomicLong();
    /** When the receiving thread began the datagram it is processing; 0 while it is not processing one. */
    private volatile long processingSince;

    ReceivingThreadRelief(QueueingReceiver receiver, BooleanSupplier running, long stallMillis, long checkMillis) {
        this.receiver = receiver;
        this.running = running;
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        this.checkNanos = TimeUnit.MILLISECONDS.toNanos(checkMillis);
    }

    /** The receiving thread begins processing a datagram; returns the time (System.nanoTime). */
    long processing() {
        long now = System.nanoTime();
        processingSince = now | 1; // never 0
        return now;
    }

    /** The receiving thread is done with it. */
    void done() {
        processingSince = 0;
    }

    /** How many times this thread has received in the receiving thread's place. */
    long reliefs() {
        return reliefs.get();
    }

    @Override
    public void run() {
        while (running.getAsBoolean()) {
            LockSupport.parkNanos(this, checkNanos);
            long since = processingSince;
            if (since == 0 || System.nanoTime() - since < stallNanos) {
                continue;
            }
            reliefs.incrementAndGet();
            // until the receiving thread has left that datagram (it may then wait in the socket beside
            // this one, which takes the next datagram and queues it)
            while (processingSince == since) {
                if (!running.getAsBoolean() || !receiver.receiveAndQueue()) {
                    return;
                }
            }
        }
    }
}
