package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.transport.SipMessageHandler;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

import org.junit.Test;

public class HandlerDispatcherTest {

    /** Counts the requests it is handed. */
    private static final class CountingHandler implements SipMessageHandler {
        final AtomicInteger requests = new AtomicInteger();

        @Override
        public void processRequest(RequestEvent e) {
            requests.incrementAndGet();
        }

        @Override
        public void processResponse(ResponseEvent e) {
        }

        @Override
        public void processTimeout(TimeoutEvent e) {
        }

        @Override
        public void processIOException(IOExceptionEvent e) {
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent e) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent e) {
        }
    }

    private static RequestEvent request() {
        return new RequestEvent(new Object(), null, null, null);
    }

    @Test
    public void aMessageThatArrivesDuringASwapWaitsForTheNextHandler() throws Exception {
        HandlerDispatcher dispatcher = new HandlerDispatcher();
        CountingHandler old = new CountingHandler();
        dispatcher.setHandler(old);
        dispatcher.processRequest(request());
        dispatcher.removeHandler(old);

        CountDownLatch delivered = new CountDownLatch(1);
        Thread stackThread = new Thread(() -> {
            dispatcher.processRequest(request());
            delivered.countDown();
        });
        stackThread.start();
        sleep(200);
        assertEquals("still waiting while there is no handler", 1, delivered.getCount());

        CountingHandler next = new CountingHandler();
        dispatcher.setHandler(next);
        assertTrue(delivered.await(2, TimeUnit.SECONDS));
        assertEquals(1, old.requests.get());
        assertEquals("the waiting message went to the new handler", 1, next.requests.get());
    }

    @Test
    public void closingReleasesWaitingThreads() throws Exception {
        HandlerDispatcher dispatcher = new HandlerDispatcher();
        CountDownLatch done = new CountDownLatch(1);
        Thread stackThread = new Thread(() -> {
            dispatcher.processRequest(request());
            done.countDown();
        });
        stackThread.start();
        sleep(100);
        long start = System.nanoTime();
        dispatcher.close();
        assertTrue(done.await(1, TimeUnit.SECONDS));
        assertTrue("released at once, not after the wait", System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(
                HandlerDispatcher.HANDLER_WAIT_MILLIS / 2));
    }

    @Test
    public void removingAnotherHandlerKeepsTheCurrentOne() {
        HandlerDispatcher dispatcher = new HandlerDispatcher();
        CountingHandler current = new CountingHandler();
        dispatcher.setHandler(current);
        dispatcher.removeHandler(new CountingHandler());
        dispatcher.processRequest(request());
        assertEquals(1, current.requests.get());
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
