package dev.sipproxy.api.transport;

import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;

/**
 * Set as a client transaction's application data by a bundle that sends its own requests (the
 * health monitor's OPTIONS probes): the transport then hands that transaction's responses and
 * timeout to it instead of to the {@link SipMessageHandler}.
 */
public interface ClientTransactionCallback {

    void responseReceived(ResponseEvent event);

    void timedOut(TimeoutEvent event);
}
