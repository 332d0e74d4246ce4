package dev.sipproxy.jainsip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The queue between a UDP listening point's receiving thread and the stack's worker threads, which
 * hands out no datagram that waited longer than {@code maxWaitMillis}: those are dropped unprocessed.
 *
 * <p>Over UDP every SIP message that matters is retransmitted by its sender until answered (T1 =
 * 500 ms, doubling), so by the time a datagram has waited that long, a fresher copy is on its way
 * or already behind it in this queue. Processing the stale one as well only makes a proxy that is
 * behind fall further behind: each message it takes up late is retransmitted, the retransmissions
 * queue up too, and the load it has to carry grows with its delay until nothing completes. Dropping
 * them caps the wait, so the proxy works on messages young enough to matter while overload control
 * refuses new calls. The stack's own congestion control drops only every two seconds and also drops
 * TCP messages, which nobody retransmits; the proxy turns it off.
 */
final class StaleDroppingQueue extends LinkedBlockingQueue<DatagramQueuedMessageDispatch> {
    private static final long serialVersionUID = 1L;

    /** Told the number of datagrams dropped since the last report, at most every {@code reportEveryMillis}. */
    interface DropReport {
        void dropped(long count, long maxWaitMillis);
    }

    private final long maxWaitMillis;
    private final transient LongSupplier clockMillis;
    private final transient DropReport report;
    private final long reportEveryMillis;
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private volatile long lastReport;
    private volatile long lastDrop;

    StaleDroppingQueue(long maxWaitMillis, LongSupplier clockMillis, DropReport report, long reportEveryMillis) {
        this.maxWaitMillis = maxWaitMillis;
        this.clockMillis = clockMillis;
        this.report = report;
        this.reportEveryMillis = reportEveryMillis;
        this.lastReport = clockMillis.getAsLong() - reportEveryMillis;
    }

    @Override
    public DatagramQueuedMessageDispatch take() throws InterruptedException {
        DatagramQueuedMessageDispatch d = super.take();
        while (stale(d)) {
            d = super.take();
        }
        return taken(d);
    }

    @Override
    public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        DatagramQueuedMessageDispatch d = super.poll(timeout, unit);
        while (d != null && stale(d)) {
            d = super.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return taken(d);
    }

    /** The worker thread that took {@code d} processes it next: it learns whether {@code d} was admitted on receipt. */
    private static DatagramQueuedMessageDispatch taken(DatagramQueuedMessageDispatch d) {
        ReceiptAdmission.taken(d instanceof AdmittedDatagram);
        return d;
    }

    /** Datagrams dropped so far. */
    long dropped() {
        return total.get();
    }

    /** When a datagram was last dropped (the clock's millis); 0 if never. */
    long lastDropMillis() {
        return lastDrop;
    }

    private boolean stale(DatagramQueuedMessageDispatch d) {
        long now = clockMillis.getAsLong();
        if (maxWaitMillis <= 0 || now - d.getReceptionTime() <= maxWaitMillis) {
            return false;
        }
        total.incrementAndGet();
        unreported.incrementAndGet();
        lastDrop = now;
        long last = lastReport;
        if (now - last >= reportEveryMillis) {
            lastReport = now;
            long n = unreported.getAndSet(0);
            if (n > 0) {
                report.dropped(n, maxWaitMillis);
            }
        }
        return true;
    }
}
