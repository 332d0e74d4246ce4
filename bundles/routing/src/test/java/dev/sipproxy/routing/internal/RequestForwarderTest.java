package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.SipTransportType;

import gov.nist.javax.sip.message.SIPMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;

import javax.sip.SipException;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import org.junit.Test;

public class RequestForwarderTest {
    private static final Destination TO_MEMBER =
            new Destination("10.0.0.1", 5070, SipTransportType.UDP, new MemberRef("A", MemberRole.PRIMARY));

    private final FakeSipTransport transport = new FakeSipTransport();
    private final RequestForwarder forwarder = new RequestForwarder(transport, new Identifiers());

    private static List<SipURI> uris(Request r, String header) {
        List<SipURI> out = new ArrayList<>();
        ListIterator<?> it = r.getHeaders(header);
        while (it.hasNext()) {
            javax.sip.header.HeaderAddress h = (javax.sip.header.HeaderAddress) it.next();
            out.add((SipURI) h.getAddress().getURI());
        }
        return out;
    }

    // ---- removeOwnRoutes ----

    @Test
    public void removesOnlyOwnRoutesFromTheTopAndReturnsTheLast() {
        Request r = Sip.request("BYE", "sip:bob@10.0.0.1:5070", "z9hG4bK-1", "to-1",
                "Route: <sip:192.0.2.10;lr>, <sip:192.0.2.10:5060;transport=tcp;lr;sp-pair=A;sp-dst=tcp:10.0.0.1:5070>",
                "Route: <sip:203.0.113.5;lr>, <sip:192.0.2.10;lr>");
        SipURI last = forwarder.removeOwnRoutes(r);
        assertNotNull(last);
        assertEquals("A", last.getParameter("sp-pair"));
        List<SipURI> left = uris(r, RouteHeader.NAME);
        assertEquals(2, left.size());
        assertEquals("203.0.113.5", left.get(0).getHost());
        assertEquals("192.0.2.10", left.get(1).getHost()); // not at the top: not removed
    }

    @Test
    public void removesAllRoutesWhenAllAreOwn() {
        Request r = Sip.request("BYE", "sip:bob@10.0.0.1:5070", "z9hG4bK-1", "to-1",
                "Route: <sip:192.0.2.10:5060;lr;sp-pair=A;sp-dst=udp:10.0.0.1:5070>");
        SipURI last = forwarder.removeOwnRoutes(r);
        assertEquals("udp:10.0.0.1:5070", last.getParameter("sp-dst"));
        assertNull(r.getHeader(RouteHeader.NAME));
        assertFalse(r.toString().contains("Route:"));
    }

    @Test
    public void foreignTopRouteIsLeftAlone() {
        Request r = Sip.request("BYE", "sip:bob@10.0.0.1:5070", "z9hG4bK-1", "to-1",
                "Route: <sip:203.0.113.5;lr>, <sip:192.0.2.10;lr>");
        assertNull(forwarder.removeOwnRoutes(r));
        assertEquals(2, uris(r, RouteHeader.NAME).size());
    }

    @Test
    public void ownHostOnAnotherPortIsNotOwn() {
        Request r = Sip.request("BYE", "sip:bob@10.0.0.1:5070", "z9hG4bK-1", "to-1",
                "Route: <sip:192.0.2.10:5099;lr>");
        assertNull(forwarder.removeOwnRoutes(r));
        assertEquals(1, uris(r, RouteHeader.NAME).size());
    }

    @Test
    public void noRouteReturnsNull() {
        assertNull(forwarder.removeOwnRoutes(Sip.invite("sip:bob@example.com")));
    }

    // ---- decrementMaxForwards ----

    @Test
    public void maxForwardsIsDecremented() throws Exception {
        Request r = Sip.invite("sip:bob@example.com");
        forwarder.decrementMaxForwards(r);
        assertEquals(69, ((MaxForwardsHeader) r.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
    }

    @Test
    public void absentMaxForwardsBecomes70() throws Exception {
        Request r = Sip.raw("OPTIONS sip:bob@example.com SIP/2.0",
                "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-1",
                "From: <sip:alice@example.com>;tag=1",
                "To: <sip:bob@example.com>",
                "Call-ID: no-mf",
                "CSeq: 1 OPTIONS",
                "Content-Length: 0");
        assertNull(r.getHeader(MaxForwardsHeader.NAME));
        forwarder.decrementMaxForwards(r);
        assertEquals(70, ((MaxForwardsHeader) r.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
    }

    // ---- recordRoute ----

    @Test
    public void oneLooseRecordRouteWhenBothSidesShareTransportAndAddress() throws Exception {
        Request r = Sip.invite("sip:bob@example.com", "Record-Route: <sip:203.0.113.5;lr>");
        forwarder.recordRoute(r, SipTransportType.UDP, "198.51.100.7", TO_MEMBER);
        List<SipURI> rr = uris(r, RecordRouteHeader.NAME);
        assertEquals(2, rr.size());
        SipURI ours = rr.get(0);
        assertEquals(FakeSipTransport.OWN_IP, ours.getHost());
        assertEquals(5060, ours.getPort());
        assertTrue(ours.hasLrParam());
        assertNull(ours.getTransportParam());
        assertEquals("A", ours.getParameter("sp-pair"));
        assertEquals("udp:10.0.0.1:5070", ours.getParameter("sp-dst"));
        assertEquals("203.0.113.5", rr.get(1).getHost()); // upstream's entry stays below ours
    }

    @Test
    public void twoRecordRoutesWhenTransportsDiffer() throws Exception {
        transport.ports.put(SipTransportType.TCP, 5062);
        Destination tcpMember = new Destination("10.0.0.1", 5070, SipTransportType.TCP, new MemberRef("A", MemberRole.PRIMARY));
        Request r = Sip.invite("sip:bob@example.com");
        forwarder.recordRoute(r, SipTransportType.UDP, "198.51.100.7", tcpMember);
        List<SipURI> rr = uris(r, RecordRouteHeader.NAME);
        assertEquals(2, rr.size());
        // top: the side facing the downstream (TCP), then the side facing the caller (UDP)
        assertEquals("tcp", rr.get(0).getTransportParam());
        assertEquals(5062, rr.get(0).getPort());
        assertNull(rr.get(1).getTransportParam());
        assertEquals(5060, rr.get(1).getPort());
        for (SipURI u : rr) {
            assertTrue(u.hasLrParam());
            assertEquals("A", u.getParameter("sp-pair"));
            assertEquals("tcp:10.0.0.1:5070", u.getParameter("sp-dst"));
        }
    }

    @Test
    public void twoRecordRoutesWhenAddressesDiffer() throws Exception {
        Request r = Sip.invite("sip:bob@example.com");
        forwarder.recordRoute(r, SipTransportType.UDP, "127.0.0.1", TO_MEMBER);
        List<SipURI> rr = uris(r, RecordRouteHeader.NAME);
        assertEquals(2, rr.size());
        assertEquals(FakeSipTransport.OWN_IP, rr.get(0).getHost()); // towards 10.0.0.1
        assertEquals("127.0.0.1", rr.get(1).getHost()); // towards the caller on loopback
    }

    @Test
    public void nonMemberDestinationGetsAPlainRecordRoute() throws Exception {
        Request r = Sip.invite("sip:bob@198.51.100.20");
        forwarder.recordRoute(r, SipTransportType.UDP, "198.51.100.7", new Destination("198.51.100.20", 5060, SipTransportType.UDP, null));
        List<SipURI> rr = uris(r, RecordRouteHeader.NAME);
        assertEquals(1, rr.size());
        assertNull(rr.get(0).getParameter("sp-pair"));
        assertNull(rr.get(0).getParameter("sp-dst"));
        assertTrue(rr.get(0).hasLrParam());
    }

    @Test
    public void eachRequestGetsItsOwnRecordRouteEntryFromTheSameAddress() throws Exception {
        // The entries are copies of one built per address: what one request's entry carries (its
        // dialog's SIP Server) must not show in the next request's.
        Request first = Sip.invite("sip:bob@example.com");
        forwarder.recordRoute(first, SipTransportType.UDP, "198.51.100.7", TO_MEMBER);
        Request second = Sip.invite("sip:bob@198.51.100.20");
        forwarder.recordRoute(second, SipTransportType.UDP, "198.51.100.7",
                new Destination("198.51.100.20", 5060, SipTransportType.UDP, null));
        SipURI a = uris(first, RecordRouteHeader.NAME).get(0);
        SipURI b = uris(second, RecordRouteHeader.NAME).get(0);
        assertEquals("A", a.getParameter("sp-pair"));
        assertNull(b.getParameter("sp-pair"));
        assertNull(b.getParameter("sp-dst"));
        assertEquals("<sip:" + FakeSipTransport.OWN_IP + ":5060;lr>",
                ((RecordRouteHeader) second.getHeader(RecordRouteHeader.NAME)).getAddress().toString());
        b.setParameter("x", "1");
        Request third = Sip.invite("sip:bob@198.51.100.20");
        forwarder.recordRoute(third, SipTransportType.UDP, "198.51.100.7",
                new Destination("198.51.100.20", 5060, SipTransportType.UDP, null));
        assertNull(uris(third, RecordRouteHeader.NAME).get(0).getParameter("x"));
    }

    @Test
    public void noRecordRouteForByeOrInDialogRequests() throws Exception {
        Request bye = Sip.request("BYE", "sip:bob@10.0.0.1:5070", "z9hG4bK-1", "to-1");
        forwarder.recordRoute(bye, SipTransportType.UDP, "198.51.100.7", TO_MEMBER);
        assertNull(bye.getHeader(RecordRouteHeader.NAME));

        Request reInvite = Sip.request("INVITE", "sip:bob@10.0.0.1:5070", "z9hG4bK-2", "to-1");
        forwarder.recordRoute(reInvite, SipTransportType.UDP, "198.51.100.7", TO_MEMBER);
        assertNull(reInvite.getHeader(RecordRouteHeader.NAME));

        for (String method : List.of("OPTIONS", "MESSAGE", "REGISTER", "INFO")) {
            Request r = Sip.request(method, "sip:bob@example.com", "z9hG4bK-3", "");
            forwarder.recordRoute(r, SipTransportType.UDP, "198.51.100.7", TO_MEMBER);
            assertNull(method, r.getHeader(RecordRouteHeader.NAME));
        }
    }

    @Test
    public void dialogCreatingMethodsAreRecordRouted() throws Exception {
        for (String method : List.of("INVITE", "SUBSCRIBE", "REFER", "NOTIFY")) {
            Request r = Sip.request(method, "sip:bob@example.com", "z9hG4bK-4", "", "Event: dialog");
            forwarder.recordRoute(r, SipTransportType.UDP, "198.51.100.7", TO_MEMBER);
            assertEquals(method, 1, uris(r, RecordRouteHeader.NAME).size());
        }
    }

    // ---- addBranch ----

    @Test
    public void addBranchPutsOurViaOnTopAndAttachesTheHop() throws Exception {
        Request request = Sip.invite("sip:bob@example.com");
        Request out = forwarder.addBranch(request, TO_MEMBER);
        assertSame(request, out);

        ViaHeader top = (ViaHeader) out.getHeader(ViaHeader.NAME);
        assertEquals(FakeSipTransport.OWN_IP, top.getHost());
        assertEquals(5060, top.getPort());
        assertTrue(top.getTransport(), "udp".equalsIgnoreCase(top.getTransport()));
        assertTrue(top.getBranch(), top.getBranch().startsWith("z9hG4bK"));
        assertTrue(top.toString(), top.toString().contains(";rport"));
        ListIterator<?> vias = out.getHeaders(ViaHeader.NAME);
        vias.next();
        assertEquals("198.51.100.7", ((ViaHeader) vias.next()).getHost());

        Hop hop = (Hop) ((SIPMessage) out).getApplicationData();
        assertEquals("10.0.0.1", hop.getHost());
        assertEquals(5070, hop.getPort());
        assertTrue(hop.getTransport(), "udp".equalsIgnoreCase(hop.getTransport()));
    }

    @Test
    public void everyBranchGetsItsOwnBranchParameter() throws Exception {
        Request base = Sip.invite("sip:bob@example.com");
        String b1 = ((ViaHeader) forwarder.addBranch((Request) base.clone(), TO_MEMBER).getHeader(ViaHeader.NAME)).getBranch();
        String b2 = ((ViaHeader) forwarder.addBranch((Request) base.clone(), TO_MEMBER).getHeader(ViaHeader.NAME)).getBranch();
        assertNotEquals(b1, b2);
    }

    @Test
    public void addBranchNamesTheTransportOfTheHop() throws Exception {
        Request request = Sip.invite("sip:bob@example.com");
        Destination tcp = new Destination("198.51.100.20", 5064, SipTransportType.TCP, null);
        forwarder.addBranch(request, tcp);
        ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
        assertTrue(top.getTransport(), "tcp".equalsIgnoreCase(top.getTransport()));
        assertEquals(FakeSipTransport.OWN_IP, top.getHost());
        Hop hop = (Hop) ((SIPMessage) request).getApplicationData();
        assertEquals("198.51.100.20", hop.getHost());
        assertEquals(5064, hop.getPort());
    }

    @Test
    public void aRetryStartsFromTheSentRequestWithoutItsBranchVia() throws Exception {
        Request template = Sip.invite("sip:bob@example.com");
        String pristine = template.toString();
        Request first = forwarder.addBranch(template, TO_MEMBER);
        String sent = first.toString();

        Request retryBase = forwarder.withoutBranch(first);
        assertEquals("the base of the retry is the request before the first branch", pristine, retryBase.toString());
        assertNull(((SIPMessage) retryBase).getApplicationData());
        Request second = forwarder.addBranch(retryBase, new Destination("10.0.0.2", 5070, SipTransportType.UDP, null));
        ListIterator<?> vias = second.getHeaders(ViaHeader.NAME);
        assertEquals(FakeSipTransport.OWN_IP, ((ViaHeader) vias.next()).getHost());
        assertEquals("one Via of this proxy, then the caller's", "198.51.100.7", ((ViaHeader) vias.next()).getHost());
        assertFalse(vias.hasNext());
        assertNotEquals(((ViaHeader) first.getHeader(ViaHeader.NAME)).getBranch(),
                ((ViaHeader) second.getHeader(ViaHeader.NAME)).getBranch());
        // the first branch's transaction keeps its request as it went out (its CANCEL and ACK come from it)
        assertEquals(sent, first.toString());
    }

    @Test
    public void addBranchRefusesATransportThereIsNoListeningPointFor() throws Exception {
        Request base = Sip.invite("sip:bob@example.com");
        try {
            forwarder.addBranch(base, new Destination("198.51.100.20", 5061, SipTransportType.TLS, null));
            fail();
        } catch (SipException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("TLS"));
        }
    }

    // ---- IPv6 ----

    @Test
    public void ipv6OwnAddressIsBracketedAndComesBackAsOwn() throws Exception {
        transport.ownHost = "2001:db8::10";
        transport.ownHosts.add("2001:db8::10");
        Request invite = Sip.invite("sip:bob@example.com");
        forwarder.recordRoute(invite, SipTransportType.UDP, "2001:db8::7", TO_MEMBER);
        String rr = invite.getHeader(RecordRouteHeader.NAME).toString();
        assertTrue(rr, rr.contains("sip:[2001:db8::10]:5060;"));

        Request out = forwarder.addBranch((Request) invite.clone(), TO_MEMBER);
        String via = out.getHeader(ViaHeader.NAME).toString();
        assertTrue(via, via.contains("[2001:db8::10]:5060"));
        // the whole message survives a trip through text
        Request reparsed = Sip.MESSAGES.createRequest(out.toString());
        assertEquals("2001:db8::10", ((ViaHeader) reparsed.getHeader(ViaHeader.NAME)).getHost().replace("[", "").replace("]", ""));

        // the Record-Route returns as a Route and is recognised
        String rrValue = ((RecordRouteHeader) invite.getHeader(RecordRouteHeader.NAME)).getAddress().toString();
        Request bye = Sip.request("BYE", "sip:bob@10.0.0.1:5070", "z9hG4bK-9", "to-1", "Route: " + rrValue);
        SipURI own = forwarder.removeOwnRoutes(bye);
        assertNotNull(own);
        assertEquals("udp:10.0.0.1:5070", own.getParameter("sp-dst"));
        assertNull(bye.getHeader(RouteHeader.NAME));
    }
}
