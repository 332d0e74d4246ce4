package dev.sipproxy.routing.internal;

import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.SipTransportType;

import gov.nist.javax.sip.stack.HopImpl;

import javax.sip.address.Hop;

/**
 * Where one request is sent: the next hop's address and transport, and, when the hop is a SIP
 * Server pair member, which one (so that its answers and silences count towards its health).
 */
record Destination(String host, int port, SipTransportType transport, MemberRef member) {

    Hop hop() {
        return new HopImpl(host, port, transport.token());
    }

    boolean isPairMember() {
        return member != null;
    }
}
