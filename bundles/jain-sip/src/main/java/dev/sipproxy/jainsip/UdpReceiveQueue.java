package dev.sipproxy.jainsip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The queue between a UDP listening point's receiving thread and the stack's worker threads. It
 * hands out no datagram that waited longer than {@code maxWaitMillis}: those are dropped
 * unprocessed. And it hands out what belongs to calls in progress (responses, ACKs, BYEs, ...)
 * before new work ({@link LaterDatagram}: new dialogs and CANCELs), each in the order received.
 *
 * <p>Over UDP every SIP message that matters is retransmitted by its sender until answered (T1 =
 * 500 ms, doubling), so by the time a datagram has waited that long, a fresher copy is on its way
 * or already behind it in this queue. Processing the stale one as well only makes a proxy that is
 * behind fall further behind: each message it takes up late is retransmitted, the retransmissions
 * queue up too, and the load it has to carry grows with its delay until nothing completes. Dropping
 * them caps the wait. For the same reason a proxy that is behind serves the calls it has admitted
 * first (RFC 6357 section 5: favour established sessions): a 200 whose ACK waits here is
 * retransmitted by the callee, a BYE by the caller, and those retransmissions, not new calls, kept
 * the proxy behind once overload control had cut new calls to a trickle. A new INVITE waits instead,
 * and that wait is what overload control sees and answers by refusing more of them. A CANCEL waits
 * with the new INVITEs so that it never overtakes the INVITE it cancels. The stack's own congestion
 * control drops only every two seconds and also drops TCP messages, which nobody retransmits; the
 * proxy turns it off.
 */
final class UdpReceiveQueue extends AbstractQueue<DatagramQueuedMessageDispatch>
        implements BlockingQueue<DatagramQueuedMessageDispatch> {

    /** Told the number of datagrams dropped since the last report, at most every {@code reportEveryMillis}. */
    interface DropReport {
        void dropped(long count, long maxWaitMillis);
    }

    private final long maxWaitMillis;
    private final LongSupplier clockMillis;
    private final DropReport report;
    private final long reportEveryMillis;
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private volatile long lastReport;
    private volatile long lastDrop;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    /** Messages of calls in progress, and everything not known to be new work. */
    private final ArrayDeque<DatagramQueuedMessageDispatch> first = new ArrayDeque<>();
    /** New work: new dialogs and CANCELs. */
    private final ArrayDeque<DatagramQueuedMessageDispatch> later = new ArrayDeque<>();

    UdpReceiveQueue(long maxWaitMillis, LongSupplier clockMillis, DropReport report, long reportEveryMillis) {
        this.maxWaitMillis = maxWaitMillis;
        this.clockMillis = clockMillis;
        this.report = report;
        this.reportEveryMillis = reportEveryMillis;
        this.lastReport = clockMillis.getAsLong() - reportEveryMillis;
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch d) {
        if (d == null) {
            throw new NullPointerException();
        }
        lock.lock();
        try {
            (d instanceof LaterDatagram ? later : first).addLast(d);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        return true;
    }

    @Override
    public void put(DatagramQueuedMessageDispatch d) {
        offer(d);
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch d, long timeout, TimeUnit unit) {
        return offer(d);
    }

    @Override
    public DatagramQueuedMessageDispatch take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            DatagramQueuedMessageDispatch d;
            while ((d = next()) == null) {
                notEmpty.await();
            }
            return taken(d);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            DatagramQueuedMessageDispatch d;
            while ((d = next()) == null) {
                if (nanos <= 0) {
                    return taken(null);
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return taken(d);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DatagramQueuedMessageDispatch poll() {
        lock.lock();
        try {
            return taken(next());
        } finally {
            lock.unlock();
        }
    }

    /** The datagram that has waited longest, of either kind; null if none waits. */
    @Override
    public DatagramQueuedMessageDispatch peek() {
        lock.lock();
        try {
            DatagramQueuedMessageDispatch a = first.peekFirst();
            DatagramQueuedMessageDispatch b = later.peekFirst();
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            return a.getReceptionTime() <= b.getReceptionTime() ? a : b;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return first.size() + later.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int remainingCapacity() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int drainTo(Collection<? super DatagramQueuedMessageDispatch> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super DatagramQueuedMessageDispatch> c, int maxElements) {
        lock.lock();
        try {
            int n = 0;
            DatagramQueuedMessageDispatch d;
            while (n < maxElements && (d = next()) != null) {
                c.add(d);
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot: what waits now, in the order it would be handed out (stale ones included). */
    @Override
    public Iterator<DatagramQueuedMessageDispatch> iterator() {
        lock.lock();
        try {
            List<DatagramQueuedMessageDispatch> all = new ArrayList<>(first);
            all.addAll(later);
            return all.iterator();
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams dropped so far. */
    long dropped() {
        return total.get();
    }

    /** When a datagram was last dropped (the clock's millis); 0 if never. */
    long lastDropMillis() {
        return lastDrop;
    }

    /** The next fresh datagram, calls in progress first; stale ones at either head are dropped. Under the lock. */
    private DatagramQueuedMessageDispatch next() {
        DatagramQueuedMessageDispatch d;
        while ((d = later.peekFirst()) != null && stale(d)) {
            later.pollFirst();
        }
        while ((d = first.pollFirst()) != null) {
            if (!stale(d)) {
                return d;
            }
        }
        return later.pollFirst();
    }

    /** The worker thread that took {@code d} processes it next: it learns whether {@code d} was admitted on receipt. */
    private static DatagramQueuedMessageDispatch taken(DatagramQueuedMessageDispatch d) {
        ReceiptAdmission.taken(d instanceof LaterDatagram l && l.admitted());
        return d;
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
