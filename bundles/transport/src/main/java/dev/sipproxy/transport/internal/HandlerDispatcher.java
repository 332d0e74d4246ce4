package dev.sipproxy.transport.internal;

import dev.sipproxy.api.transport.ClientTransactionCallback;
import dev.sipproxy.api.transport.SipMessageHandler;

import java.util.function.Supplier;

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
 * {@link SipMessageHandler}. While
 * there is none (the proxy core is being updated), received messages are dropped, and the peers'
 * retransmissions bring them back once a handler is there again.
 */
final class HandlerDispatcher implements SipListener {
    private final Supplier<SipMessageHandler> handler;

    HandlerDispatcher(Supplier<SipMessageHandler> handler) {
        this.handler = handler;
    }

    @Override
    public void processRequest(RequestEvent event) {
        SipMessageHandler h = handler.get();
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
        SipMessageHandler h = handler.get();
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
        SipMessageHandler h = handler.get();
        if (h != null) {
            h.processTimeout(event);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        SipMessageHandler h = handler.get();
        if (h != null) {
            h.processIOException(event);
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        SipMessageHandler h = handler.get();
        if (h != null) {
            h.processTransactionTerminated(event);
        }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // The proxy keeps no dialogs.
    }
}
