package dev.sipproxy.jainsip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.DefaultRouter;

import java.util.ListIterator;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

/**
 * A JAIN-SIP {@link Router} that sends a request to the hop the application chose for it.
 * <p>
 * A proxy decides the next hop itself (the active member of a SIP Server pair, a Route, a
 * Request-URI). It attaches that {@link Hop} to the outgoing request as the request's application
 * data, and this router hands it to the stack. Requests without one fall back to the stack's
 * RFC 3261 default router. The stack loads routers by class name through its own class loader, so
 * this class lives in the JAIN-SIP bundle ({@code javax.sip.ROUTER_PATH}).
 */
public final class ApplicationHopRouter implements Router {
    private final DefaultRouter fallback;

    public ApplicationHopRouter(SipStack stack, String outboundProxy) {
        this.fallback = new DefaultRouter(stack, outboundProxy);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (request instanceof SIPMessage && ((SIPMessage) request).getApplicationData() instanceof Hop) {
            return (Hop) ((SIPMessage) request).getApplicationData();
        }
        return fallback.getNextHop(request);
    }

    @Override
    public Hop getOutboundProxy() {
        return null;
    }

    @Override
    @Deprecated
    @SuppressWarnings("rawtypes")
    public ListIterator getNextHops(Request request) {
        return fallback.getNextHops(request);
    }
}
