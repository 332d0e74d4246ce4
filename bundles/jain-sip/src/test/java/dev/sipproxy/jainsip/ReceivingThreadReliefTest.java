package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

public class ReceivingThreadReliefTest {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger received = new AtomicInteger();
    /** One permit per datagram "arriving" at the fake socket. */
    private final Semaphore arrivals = new Semaphore(0);
    private final ReceivingThreadRelief relief = new ReceivingThreadRelief(this::receiveAndQueue, running::get, 20, 2);
    private final Thread thread = new Thread(relief, "relief-under-test");

    private boolean receiveAndQueue() {
        try {
            while (!arrivals.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                if (!running.get()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            return false;
        }
        received.incrementAndGet();
        return true;
    }

    @After
    public void stop() throws InterruptedException {
        running.set(false);
        thread.join(2000);
        assertFalse("the relief thread ends when the listening point stops", thread.isAlive());
    }

    @Test
    public void itLeavesTheSocketAloneWhileTheReceivingThreadKeepsUp() throws Exception {
        thread.start();
        for (int i = 0; i < 20; i++) { // short datagrams, one after the other
            relief.processing();
            Thread.sleep(1);
            relief.done();
        }
        arrivals.release(3);
        Thread.sleep(100); // what must not happen would have by now: the relief checks every 2 ms
        assertEquals("nothing received by the relief", 0, received.get());
        assertEquals(0, relief.reliefs());
    }

    @Test
    public void itReceivesInTheReceivingThreadsPlaceWhileThatIsHeldUp() throws Exception {
        thread.start();
        relief.processing(); // a datagram that takes long
        arrivals.release(5);
        assertTrue("the relief received what arrived meanwhile", await(() -> received.get() == 5));
        assertEquals(1, relief.reliefs());
        relief.done();
        arrivals.release(1); // the relief is still waiting in the socket: it takes this one, then stops
        assertTrue(await(() -> received.get() == 6));
        arrivals.release(2);
        Thread.sleep(100);
        assertEquals("back with the receiving thread: the relief receives no more", 6, received.get());
        relief.processing(); // another long one
        assertTrue("a second stall is covered too", await(() -> relief.reliefs() == 2 && received.get() == 8));
        relief.done();
    }

    @Test
    public void itEndsWhenTheSocketIsGone() throws Exception {
        thread.start();
        relief.processing();
        arrivals.release(1);
        assertTrue(await(() -> received.get() == 1));
        running.set(false); // the listening point stops while the relief waits in the socket
        thread.join(2000);
        assertFalse(thread.isAlive());
    }

    private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }
}
