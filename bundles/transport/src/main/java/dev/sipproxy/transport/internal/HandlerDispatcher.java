package dev.sipproxy.transport.internal;

import dev.sipproxy.api.transport.ClientTransactionCallback;
import dev.sipproxy.api.transport.SipMessageHandler;

import java.util.concurrent.TimeUnit;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

/**
 * The stack's one listener. Responses and timeouts of a client transaction that carries a
 * {@link ClientTransactionCallback} go to that callback; everything else goes to the current
 * {@link SipMessageHandler}.
 * <p>
 * While there is none (the routing bundle, or a bundle it needs, is being updated or restarted), a
 * received request, response or timeout waits for the next handler, up to {@link #HANDLER_WAIT_MILLIS}:
 * a swap takes a fraction of a second, and a message dropped then would cost the caller a
 * retransmission interval (UDP) or the call (a response that the stack's transaction already
 * absorbed, over TCP). After that wait it is dropped, and the peers' retransmissions bring it back.
 */
final class HandlerDispatcher implements SipListener {
    /** How long a message waits for a handler: longer than a bundle swap, shorter than the peers' transaction timers. */
    static final long HANDLER_WAIT_MILLIS = 5000;

    private final Object changed = new Object();
    private volatile SipMessageHandler handler;
    private volatile boolean closed;

    void setHandler(SipMessageHandler h) {
        synchronized (changed) {
            handler = h;
            changed.notifyAll();
        }
    }

    void removeHandler(SipMessageHandler h) {
        synchronized (changed) {
            if (handler == h) {
                handler = null;
            }
        }
    }

    /** The transport is going away: nothing waits any more. */
    void close() {
        synchronized (changed) {
            closed = true;
            changed.notifyAll();
        }
    }

    /** The handler, waiting for one if there is none; null if none came in time. */
    private SipMessageHandler awaitHandler() {
        SipMessageHandler h = handler;
        if (h != null || closed) {
            return h;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANDLER_WAIT_MILLIS);
        synchronized (changed) {
            while ((h = handler) == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(changed, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return h;
    }

    @Override
    public void processRequest(RequestEvent event) {
        SipMessageHandler h = awaitHandler();
        if (h != null) {
            h.processRequest(event);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        if (event.getClientTransaction() != null
                && event.getClientTransaction().getApplicationData() instanceof ClientTransactionCallback callback) {
            callback.responseReceived(event);
            return;
        }
        SipMessageHandler h = awaitHandler();
        if (h != null) {
            h.processResponse(event);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction() != null
                && event.getClientTransaction().getApplicationData() instanceof ClientTransactionCallback callback) {
            callback.timedOut(event);
            return;
        }
        SipMessageHandler h = awaitHandler();
        if (h != null) {
            h.processTimeout(event);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        SipMessageHandler h = handler;
        if (h != null) {
            h.processIOException(event);
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        SipMessageHandler h = handler;
        if (h != null) {
            h.processTransactionTerminated(event);
        }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // The proxy keeps no dialogs.
    }
}
