package dev.sipproxy.routing.internal;

import dev.sipproxy.api.transport.SipTransport;

import java.text.ParseException;

import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Responses the proxy writes itself (it acts as a UAS for them: RFC 3261 section 8.2.6). */
final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private final SipTransport transport;
    private final Identifiers ids;
    private final ProxyCounters counters;

    Responses(SipTransport transport, Identifiers ids) {
        this(transport, ids, new ProxyCounters(() -> 0));
    }

    Responses(SipTransport transport, Identifiers ids, ProxyCounters counters) {
        this.transport = transport;
        this.ids = ids;
        this.counters = counters;
    }

    Response create(int statusCode, Request request) throws ParseException {
        Response response = transport.messageFactory().createResponse(statusCode, request);
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (statusCode > 100 && to != null && to.getTag() == null) {
            to.setTag(ids.newTag());
        }
        return response;
    }

    Response reject(Rejection rejection, Request request) throws ParseException, InvalidArgumentException {
        Response response = create(rejection.statusCode(), request);
        HeaderFactory hf = transport.headerFactory();
        if (rejection.retryAfter() >= 0) {
            response.addHeader(hf.createRetryAfterHeader(rejection.retryAfter()));
        }
        for (String tag : rejection.unsupported()) {
            response.addHeader(hf.createUnsupportedHeader(tag));
        }
        return response;
    }

    /** Answers within the server transaction; a failure (the peer is gone) is only logged. */
    void send(ServerTransaction server, Response response) {
        try {
            server.sendResponse(response);
            counters.responseSent(response.getStatusCode());
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.debug("Could not send {} {}: {}", response.getStatusCode(), response.getReasonPhrase(), e.toString());
        }
    }

    /**
     * A refusal sent without a transaction (RFC 3261 section 8.2.7: a stateless UAS), To-tagged so
     * that its ACK is known and absorbed ({@link Identifiers#isRefusalTag}).
     */
    void refuseStateless(Rejection rejection, Request request) throws ParseException, InvalidArgumentException {
        Response response = reject(rejection, request);
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(ids.newRefusalTag());
        sendStateless(response);
    }

    /** Answers without a transaction, by the request's Via. */
    void sendStateless(Response response) {
        try {
            transport.provider().sendResponse(response);
            counters.responseSent(response.getStatusCode());
        } catch (SipException | RuntimeException e) {
            LOG.debug("Could not send {} {}: {}", response.getStatusCode(), response.getReasonPhrase(), e.toString());
        }
    }
}
