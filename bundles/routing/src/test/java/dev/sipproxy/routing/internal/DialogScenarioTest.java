package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.SipTransportType;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;

import javax.sip.address.SipURI;
import javax.sip.header.RecordRouteHeader;
import javax.sip.message.Request;

import org.junit.Test;

/**
 * A dialog set up through the proxy and an in-dialog request coming back: the Record-Route the proxy
 * writes into the INVITE returns (as text, through the UA's route set) as the Route of the BYE.
 */
public class DialogScenarioTest {
    private final FakeSipTransport transport = new FakeSipTransport();
    private final FakeSipServerPairs pairs = new FakeSipServerPairs()
            .pair("A", SipTransportType.UDP, "10.0.0.1:5060", true, "10.0.0.2:5060", true, MemberRole.PRIMARY)
            .pair("B", SipTransportType.UDP, "10.0.1.1:5060", true, "10.0.1.2:5060", true, MemberRole.PRIMARY);
    private final RequestForwarder forwarder = new RequestForwarder(transport, new Identifiers());
    private final NextHopSelector selector = new NextHopSelector(pairs);
    private final RoutingSettings settings = Settings.of("serving-sipserver", "A");

    /** Runs an initial request through removeOwnRoutes, select and recordRoute; returns the Record-Route values it leaves. */
    private List<String> proxyInitial(Request invite, Optional<MemberRef> from, String upstreamIp, Destination expected)
            throws Exception {
        SipURI own = forwarder.removeOwnRoutes(invite);
        Destination to = selector.select(invite, own, from, settings);
        assertEquals(expected, to);
        forwarder.recordRoute(invite, SipTransportType.UDP, upstreamIp, to, selector.dialogServer(to, from));
        List<String> rr = new ArrayList<>();
        ListIterator<?> it = invite.getHeaders(RecordRouteHeader.NAME);
        while (it.hasNext()) {
            rr.add(((RecordRouteHeader) it.next()).getAddress().toString());
        }
        return rr;
    }

    /** The in-dialog request a UA sends with {@code routeSet} as its Route headers. */
    private Destination proxyInDialog(String requestUri, List<String> routeSet, Optional<MemberRef> from) throws Exception {
        Request bye = Sip.request("BYE", requestUri, "z9hG4bK-bye-1", "to-1", "Route: " + String.join(", ", routeSet));
        SipURI own = forwarder.removeOwnRoutes(bye);
        assertNotNull("the proxy did not recognise its own Route", own);
        return selector.select(bye, own, from, settings);
    }

    private static List<String> reversed(List<String> l) {
        List<String> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }

    @Test
    public void endpointDialogByeReachesTheMemberThatTookTheCall() throws Exception {
        Request invite = Sip.invite("sip:bob@example.com");
        Destination primaryA = new Destination("10.0.0.1", 5060, SipTransportType.UDP, new MemberRef("A", MemberRole.PRIMARY));
        List<String> rr = proxyInitial(invite, Optional.empty(), "198.51.100.7", primaryA);
        assertEquals(1, rr.size());

        // the caller's route set is the Record-Route reversed
        assertEquals(primaryA, proxyInDialog("sip:bob@10.0.0.1:5060", reversed(rr), Optional.empty()));
    }

    @Test
    public void endpointDialogByeFollowsSwitchoverToTheBackup() throws Exception {
        Request invite = Sip.invite("sip:bob@example.com");
        List<String> rr = proxyInitial(invite, Optional.empty(), "198.51.100.7",
                new Destination("10.0.0.1", 5060, SipTransportType.UDP, new MemberRef("A", MemberRole.PRIMARY)));

        pairs.pair("A", SipTransportType.UDP, "10.0.0.1:5060", false, "10.0.0.2:5060", true, MemberRole.BACKUP);
        assertEquals(new Destination("10.0.0.2", 5060, SipTransportType.UDP, new MemberRef("A", MemberRole.BACKUP)),
                proxyInDialog("sip:bob@10.0.0.1:5060", reversed(rr), Optional.empty()));
    }

    @Test
    public void endpointDialogOverDoubleRecordRouteStillReachesTheMember() throws Exception {
        transport.ports.put(SipTransportType.TCP, 5062);
        pairs.pair("A", SipTransportType.TCP, "10.0.0.1:5070", true, "10.0.0.2:5070", true, MemberRole.PRIMARY);
        Request invite = Sip.invite("sip:bob@example.com");
        Destination primaryA = new Destination("10.0.0.1", 5070, SipTransportType.TCP, new MemberRef("A", MemberRole.PRIMARY));
        List<String> rr = proxyInitial(invite, Optional.empty(), "198.51.100.7", primaryA);
        assertEquals(2, rr.size());
        assertEquals(primaryA, proxyInDialog("sip:bob@10.0.0.1:5070", reversed(rr), Optional.empty()));
    }

    @Test
    public void serverByeTowardsEndpointGoesToItsRequestUri() throws Exception {
        Request invite = Sip.invite("sip:bob@example.com");
        List<String> rr = proxyInitial(invite, Optional.empty(), "198.51.100.7",
                new Destination("10.0.0.1", 5060, SipTransportType.UDP, new MemberRef("A", MemberRole.PRIMARY)));
        // the callee side (SIP Server) uses the Record-Route in order, and targets the caller's Contact
        assertEquals(new Destination("198.51.100.7", 5062, SipTransportType.UDP, null),
                proxyInDialog("sip:alice@198.51.100.7:5062", rr, Optional.of(new MemberRef("A", MemberRole.PRIMARY))));
    }

    @Test
    public void endpointByeInADialogFromAnotherPairReachesThatPair() throws Exception {
        MemberRef primaryB = new MemberRef("B", MemberRole.PRIMARY);
        Request invite = Sip.invite("sip:alice@198.51.100.7:5062");
        List<String> rr = proxyInitial(invite, Optional.of(primaryB), "10.0.1.1",
                new Destination("198.51.100.7", 5062, SipTransportType.UDP, null));
        // the endpoint is the callee: its route set is the Record-Route in order; its target is B's Contact
        Destination d = proxyInDialog("sip:b2bua@10.0.1.1:5060", rr, Optional.empty());
        assertEquals("10.0.1.1", d.host());
        assertEquals(5060, d.port());
    }
}
