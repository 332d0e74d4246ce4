package dev.sipproxy.routing.internal;

import java.text.ParseException;

import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;

/** The real JAIN-SIP factories, and raw SIP text parsed with them. */
final class Sip {
    static final MessageFactory MESSAGES;
    static final HeaderFactory HEADERS;
    static final AddressFactory ADDRESSES;

    static {
        try {
            SipFactory f = SipFactory.getInstance();
            f.setPathName("gov.nist");
            MESSAGES = f.createMessageFactory();
            HEADERS = f.createHeaderFactory();
            ADDRESSES = f.createAddressFactory();
        } catch (PeerUnavailableException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Sip() {
    }

    /** Parses a request written as lines; CRLFs and the empty line after the headers are added. */
    static Request raw(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append("\r\n");
        }
        sb.append("\r\n");
        try {
            return MESSAGES.createRequest(sb.toString());
        } catch (ParseException e) {
            throw new AssertionError("cannot parse test request: " + e.getMessage() + "\n" + sb, e);
        }
    }

    /** A typical INVITE from an endpoint, with the extra header lines given. */
    static Request invite(String requestUri, String... extraHeaders) {
        return request("INVITE", requestUri, "z9hG4bK-inv-1", "", extraHeaders);
    }

    /**
     * A request with a standard header set.
     *
     * @param toTag empty for none
     */
    static Request request(String method, String requestUri, String branch, String toTag, String... extraHeaders) {
        String[] base = {
            method + " " + requestUri + " SIP/2.0",
            "Via: SIP/2.0/UDP 198.51.100.7:5062" + (branch == null ? "" : ";branch=" + branch),
            "Max-Forwards: 70",
            "From: <sip:alice@example.com>;tag=from-1",
            "To: <sip:bob@example.com>" + (toTag.isEmpty() ? "" : ";tag=" + toTag),
            "Call-ID: call-1@198.51.100.7",
            "CSeq: 1 " + method,
            "Contact: <sip:alice@198.51.100.7:5062>",
        };
        String[] all = new String[base.length + extraHeaders.length + 1];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extraHeaders, 0, all, base.length, extraHeaders.length);
        all[all.length - 1] = "Content-Length: 0";
        return raw(all);
    }

    static SipURI sipUri(String text) {
        try {
            return (SipURI) ADDRESSES.createURI(text);
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }
}
