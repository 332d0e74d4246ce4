package dev.sipproxy.transport.internal;

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
 * The stack's one listener. It passes each event to the current {@link SipMessageHandler}; while
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
        SipMessageHandler h = handler.get();
        if (h != null) {
            h.processResponse(event);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
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
