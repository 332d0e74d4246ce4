package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertNotNull;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

/** A stack listener for tests: the requests and responses the stack hands it, each in order, awaited with a deadline. */
final class RecordingListener implements SipListener {
    private final LinkedBlockingQueue<RequestEvent> requests = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<ResponseEvent> responses = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<TransactionTerminatedEvent> terminated = new LinkedBlockingQueue<>();

    RequestEvent nextRequest() throws InterruptedException {
        return next(requests, "request");
    }

    /** The next request if one arrives within {@code millis}, else null (to show that none came). */
    RequestEvent pollRequest(long millis) throws InterruptedException {
        return requests.poll(millis, TimeUnit.MILLISECONDS);
    }

    ResponseEvent nextResponse() throws InterruptedException {
        return next(responses, "response");
    }

    /** The next response if one arrives within {@code millis}, else null (to show that none came). */
    ResponseEvent pollResponse(long millis) throws InterruptedException {
        return responses.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The next transaction-terminated event if one arrives within {@code millis}, else null. */
    TransactionTerminatedEvent pollTerminated(long millis) throws InterruptedException {
        return terminated.poll(millis, TimeUnit.MILLISECONDS);
    }

    private static <T> T next(LinkedBlockingQueue<T> queue, String what) throws InterruptedException {
        T e = queue.poll(5, TimeUnit.SECONDS);
        assertNotNull("a " + what + " reached the listener within 5 s", e);
        return e;
    }

    @Override public void processRequest(RequestEvent e) { requests.add(e); }
    @Override public void processResponse(ResponseEvent e) { responses.add(e); }
    @Override public void processTimeout(TimeoutEvent e) { }
    @Override public void processIOException(IOExceptionEvent e) { }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent e) { terminated.add(e); }
    @Override public void processDialogTerminated(DialogTerminatedEvent e) { }
}
