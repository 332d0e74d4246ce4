package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;

import java.net.DatagramPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class UdpReceiveQueueTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Long> reports = new ArrayList<>();
    private final UdpReceiveQueue queue = new UdpReceiveQueue(500, now::get, (n, max) -> reports.add(n), 10_000);

    private DatagramQueuedMessageDispatch receivedAt(long millis) {
        DatagramQueuedMessageDispatch d = new DatagramQueuedMessageDispatch(new DatagramPacket(new byte[1], 1), millis);
        queue.offer(d);
        return d;
    }

    @Test
    public void whatWaitedUpToTheLimitIsHandedOutInOrder() throws Exception {
        DatagramQueuedMessageDispatch a = receivedAt(now.get() - 500);
        DatagramQueuedMessageDispatch b = receivedAt(now.get());
        assertSame(a, queue.take());
        assertSame(b, queue.poll(1, TimeUnit.SECONDS));
        assertEquals(0, queue.dropped());
        assertEquals(0, queue.lastDropMillis());
    }

    @Test
    public void whatWaitedLongerIsDroppedAndTheNextFreshOneHandedOut() throws Exception {
        receivedAt(now.get() - 2000);
        receivedAt(now.get() - 501);
        DatagramQueuedMessageDispatch fresh = receivedAt(now.get() - 10);
        assertSame(fresh, queue.take());
        receivedAt(now.get() - 900);
        assertNull("only stale ones: nothing within the timeout", queue.poll(20, TimeUnit.MILLISECONDS));
        assertEquals(3, queue.dropped());
        assertEquals("when the last one was dropped", now.get(), queue.lastDropMillis());
    }

    @Test
    public void dropsAreReportedAtMostEveryTenSecondsWithTheirCount() throws Exception {
        for (int i = 0; i < 3; i++) {
            receivedAt(now.get() - 600);
        }
        receivedAt(now.get());
        queue.take();
        assertEquals("the first drop is told at once", List.of(1L), reports);
        now.addAndGet(9_000);
        receivedAt(now.get() - 600);
        receivedAt(now.get());
        queue.take();
        assertEquals(List.of(1L), reports);
        now.addAndGet(1_000);
        receivedAt(now.get() - 600);
        receivedAt(now.get());
        queue.take();
        assertEquals("the next report ten seconds on, with the drops since", List.of(1L, 4L), reports);
    }

    @Test
    public void zeroKeepsEverything() throws Exception {
        UdpReceiveQueue keepAll = new UdpReceiveQueue(0, now::get, (n, max) -> reports.add(n), 10_000);
        DatagramQueuedMessageDispatch old = new DatagramQueuedMessageDispatch(new DatagramPacket(new byte[1], 1), 0);
        keepAll.offer(old);
        assertSame(old, keepAll.take());
        assertEquals(List.of(), reports);
    }

    @Test
    public void callsInProgressGoFirstAndNewWorkAfterThemInItsOrder() throws Exception {
        LaterDatagram invite = later(now.get() - 100, true);
        LaterDatagram cancel = later(now.get() - 90, false);
        DatagramQueuedMessageDispatch ack = receivedAt(now.get() - 10);
        DatagramQueuedMessageDispatch bye = receivedAt(now.get());
        assertSame("the backlog is the oldest of either kind", invite, queue.peek());
        assertSame(ack, queue.take());
        assertEquals(false, ReceiptAdmission.admitted());
        assertSame(bye, queue.poll(1, TimeUnit.SECONDS));
        assertSame(invite, queue.take());
        assertEquals("the worker learns it was admitted on receipt", true, ReceiptAdmission.admitted());
        assertSame("the CANCEL never overtakes its INVITE", cancel, queue.take());
        assertEquals(false, ReceiptAdmission.admitted());
    }

    @Test
    public void staleNewWorkIsDroppedWhileCallsInProgressAreServed() throws Exception {
        later(now.get() - 600, true);
        DatagramQueuedMessageDispatch response = receivedAt(now.get());
        assertSame(response, queue.take());
        assertEquals("the stale INVITE went too", 0, queue.size());
        assertEquals(1, queue.dropped());
    }

    private LaterDatagram later(long millis, boolean admitted) {
        LaterDatagram d = new LaterDatagram(new DatagramPacket(new byte[1], 1), millis, admitted);
        queue.offer(d);
        return d;
    }
}
