package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.SipTransportType;

import java.util.Optional;

import javax.sip.address.SipURI;
import javax.sip.message.Request;

import org.junit.Test;

public class NextHopSelectorTest {
    private static final SipTransportType UDP = SipTransportType.UDP;
    private static final SipTransportType TCP = SipTransportType.TCP;
    private static final SipTransportType TLS = SipTransportType.TLS;
    private static final Optional<MemberRef> FROM_ENDPOINT = Optional.empty();
    private static final Optional<MemberRef> FROM_SERVER = Optional.of(new MemberRef("A", MemberRole.PRIMARY));

    private final FakeSipServerPairs pairs = new FakeSipServerPairs()
            .pair("A", TCP, "10.0.0.1:5070", true, "10.0.0.2:5070", true, MemberRole.PRIMARY);
    private final NextHopSelector selector = new NextHopSelector(pairs);
    private final RoutingSettings defaults = Settings.of();

    private Destination select(Request r, SipURI ownRoute, Optional<MemberRef> from, RoutingSettings s) throws Rejection {
        return selector.select(r, ownRoute, from, s);
    }

    private static Rejection rejected(Sel sel) {
        try {
            Destination d = sel.run();
            fail("routed to " + d);
            return null;
        } catch (Rejection r) {
            return r;
        }
    }

    private interface Sel {
        Destination run() throws Rejection;
    }

    // ---- 1. a remaining Route ----

    @Test
    public void remainingRouteWinsAndKeepsItsTransportAndPort() throws Rejection {
        Request r = Sip.request("BYE", "sip:bob@10.9.9.9:5080;transport=udp", "z9hG4bK-1", "to-1",
                "Route: <sip:203.0.113.5:5072;transport=tcp;lr>, <sip:203.0.113.6;lr>");
        SipURI ownRoute = Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=tcp:10.0.0.1:5070");
        Destination d = select(r, ownRoute, FROM_SERVER, Settings.of("serving-sipserver", "A"));
        assertEquals(new Destination("203.0.113.5", 5072, TCP, null), d);
        // the same with the request coming from an endpoint
        assertEquals(d, select(r, ownRoute, FROM_ENDPOINT, defaults));
    }

    @Test
    public void routeWithoutPortOrTransportDefaultsToUdp5060() throws Rejection {
        Request r = Sip.invite("sip:bob@example.com", "Route: <sip:proxy2.example.net;lr>");
        assertEquals(new Destination("proxy2.example.net", 5060, UDP, null), select(r, null, FROM_ENDPOINT, defaults));
    }

    @Test
    public void sipsRouteGoesOverTlsTo5061() throws Rejection {
        Request r = Sip.invite("sip:bob@example.com", "Route: <sips:proxy2.example.net;lr>");
        assertEquals(new Destination("proxy2.example.net", 5061, TLS, null), select(r, null, FROM_ENDPOINT, defaults));
    }

    // ---- 2. a request from a SIP Server ----

    @Test
    public void requestFromSipServerGoesToItsRequestUri() throws Rejection {
        Request r = Sip.invite("sip:bob@198.51.100.20:5064");
        assertEquals(new Destination("198.51.100.20", 5064, UDP, null), select(r, null, FROM_SERVER, defaults));
    }

    @Test
    public void requestUriWithoutPortGets5060() throws Rejection {
        Request r = Sip.invite("sip:bob@198.51.100.20");
        assertEquals(new Destination("198.51.100.20", 5060, UDP, null), select(r, null, FROM_SERVER, defaults));
    }

    @Test
    public void requestUriTransportTcpIsKept() throws Rejection {
        Request r = Sip.invite("sip:bob@198.51.100.20;transport=TCP");
        assertEquals(new Destination("198.51.100.20", 5060, TCP, null), select(r, null, FROM_SERVER, defaults));
    }

    @Test
    public void requestUriMaddrWinsOverTheHost() throws Rejection {
        Request r = Sip.invite("sip:bob@example.com:5090;maddr=198.51.100.30;transport=tcp");
        assertEquals(new Destination("198.51.100.30", 5090, TCP, null), select(r, null, FROM_SERVER, defaults));
    }

    @Test
    public void tlsRequestUriDefaultsTo5061() throws Rejection {
        assertEquals(new Destination("198.51.100.20", 5061, TLS, null),
                select(Sip.invite("sip:bob@198.51.100.20;transport=tls"), null, FROM_SERVER, defaults));
        assertEquals(new Destination("198.51.100.20", 5061, TLS, null),
                select(Sip.invite("sips:bob@198.51.100.20"), null, FROM_SERVER, defaults));
        assertEquals(new Destination("198.51.100.20", 5061, TLS, null),
                select(Sip.invite("sips:bob@198.51.100.20;transport=tcp"), null, FROM_SERVER, defaults));
    }

    @Test
    public void ipv6RequestUriHostLosesItsBrackets() throws Rejection {
        Request r = Sip.invite("sip:bob@[2001:db8::20]:5064");
        assertEquals(new Destination("2001:db8::20", 5064, UDP, null), select(r, null, FROM_SERVER, defaults));
    }

    @Test
    public void requestFromSipServerIgnoresTheDialogRoute() throws Rejection {
        Request r = Sip.request("BYE", "sip:alice@198.51.100.7:5062", "z9hG4bK-1", "to-1");
        SipURI ownRoute = Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=tcp:10.0.0.1:5070");
        assertEquals(new Destination("198.51.100.7", 5062, UDP, null), select(r, ownRoute, FROM_SERVER, defaults));
    }

    @Test
    public void unknownUriTransportIsRejectedWith503() {
        Request r = Sip.invite("sip:bob@198.51.100.20;transport=sctp");
        assertEquals(503, rejected(() -> select(r, null, FROM_SERVER, defaults)).statusCode());
    }

    @Test
    public void telRequestUriFromSipServerCannotBeRouted() {
        Request r = Sip.invite("tel:+15551234567");
        assertEquals(416, rejected(() -> select(r, null, FROM_SERVER, defaults)).statusCode());
    }

    // ---- 3. an in-dialog request from an endpoint ----

    @Test
    public void inDialogEndpointRequestGoesToTheDialogsServer() throws Rejection {
        Request r = Sip.request("BYE", "sip:bob@10.0.0.2:5070", "z9hG4bK-1", "to-1");
        SipURI ownRoute = Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=tcp:10.0.0.2:5070");
        assertEquals(new Destination("10.0.0.2", 5070, TCP, new MemberRef("A", MemberRole.BACKUP)),
                select(r, ownRoute, FROM_ENDPOINT, defaults));
    }

    // ---- 4. any other endpoint request ----

    @Test
    public void endpointRequestGoesToTheActiveMemberOfTheOnlyPair() throws Rejection {
        Destination d = select(Sip.invite("sip:bob@example.com"), null, FROM_ENDPOINT, defaults);
        assertEquals(new Destination("10.0.0.1", 5070, TCP, new MemberRef("A", MemberRole.PRIMARY)), d);
        assertTrue(d.isPairMember());
    }

    @Test
    public void endpointRequestGoesToTheActiveMemberOfTheServingPair() throws Rejection {
        pairs.pair("B", UDP, "10.0.1.1:5060", false, "10.0.1.2:5062", true, MemberRole.BACKUP);
        Destination d = select(Sip.invite("sip:bob@example.com"), null, FROM_ENDPOINT, Settings.of("serving-sipserver", "B"));
        assertEquals(new Destination("10.0.1.2", 5062, UDP, new MemberRef("B", MemberRole.BACKUP)), d);
    }

    @Test
    public void ownRouteWithoutDialogTargetFallsBackToTheServingPair() throws Rejection {
        Request r = Sip.request("BYE", "sip:bob@example.com", "z9hG4bK-1", "to-1");
        Destination d = select(r, Sip.sipUri("sip:192.0.2.10;lr"), FROM_ENDPOINT, defaults);
        assertEquals(new MemberRef("A", MemberRole.PRIMARY), d.member());
    }

    @Test
    public void outOfServicePairIsRejectedWith503AndTheConfiguredRetryAfter() {
        pairs.pair("A", TCP, "10.0.0.1:5070", false, "10.0.0.2:5070", false, null);
        Rejection rej = rejected(() -> select(Sip.invite("sip:bob@example.com"), null, FROM_ENDPOINT,
                Settings.of("retry-after", "17")));
        assertEquals(503, rej.statusCode());
        assertEquals(17, rej.retryAfter());
        assertTrue(rej.getMessage(), rej.getMessage().contains("'A'"));
    }

    @Test
    public void outOfServicePairSendsToTheFallbackPairWhenOneIsConfiguredAndInService() throws Rejection {
        pairs.pair("A", TCP, "10.0.0.1:5070", false, "10.0.0.2:5070", false, null);
        pairs.pair("F", TCP, "10.0.9.1:5070", true, null, false, MemberRole.PRIMARY);
        Destination d = selector.toServingPair(Settings.of("serving-sipserver", "A", "fallback-sipserver", "F"));
        assertEquals(new MemberRef("F", MemberRole.PRIMARY), d.member());
        assertEquals("10.0.9.1", d.host());
    }

    @Test
    public void outOfServiceFallbackMeans503() {
        pairs.pair("A", TCP, "10.0.0.1:5070", false, "10.0.0.2:5070", false, null);
        pairs.pair("F", TCP, "10.0.9.1:5070", false, null, false, null);
        Rejection rej = rejected(() -> selector.toServingPair(Settings.of("serving-sipserver", "A", "fallback-sipserver", "F")));
        assertEquals(503, rej.statusCode());
        assertTrue(rej.getMessage(), rej.getMessage().contains("fallback 'F'"));
    }

    @Test
    public void outOfServicePairUsesTheDefaultRetryAfter() {
        pairs.pair("A", TCP, "10.0.0.1:5070", false, null, false, null);
        Rejection rej = rejected(() -> selector.toServingPair(defaults));
        assertEquals(503, rej.statusCode());
        assertEquals(RoutingSettings.DEFAULT_RETRY_AFTER, rej.retryAfter());
    }

    @Test
    public void unknownServingSipServerIsRejectedWith503() {
        Rejection rej = rejected(() -> select(Sip.invite("sip:bob@example.com"), null, FROM_ENDPOINT,
                Settings.of("serving-sipserver", "nosuch", "retry-after", "30")));
        assertEquals(503, rej.statusCode());
        assertEquals(30, rej.retryAfter());
        assertTrue(rej.getMessage(), rej.getMessage().contains("'nosuch'"));
    }

    @Test
    public void severalPairsWithoutServingSipServerAreRejectedWith503() {
        pairs.pair("B", UDP, "10.0.1.1:5060", true, null, false, MemberRole.PRIMARY);
        Rejection rej = rejected(() -> select(Sip.invite("sip:bob@example.com"), null, FROM_ENDPOINT, defaults));
        assertEquals(503, rej.statusCode());
        assertTrue(rej.getMessage(), rej.getMessage().contains("serving-sipserver"));
    }

    @Test
    public void noPairAtAllIsRejectedWith503() {
        NextHopSelector empty = new NextHopSelector(new FakeSipServerPairs());
        Rejection rej = rejected(() -> empty.select(Sip.invite("sip:bob@example.com"), null, FROM_ENDPOINT, defaults));
        assertEquals(503, rej.statusCode());
    }

    // ---- alternative ----

    @Test
    public void alternativeIsTheOtherUsableMember() {
        assertEquals(Optional.of(new Destination("10.0.0.2", 5070, TCP, new MemberRef("A", MemberRole.BACKUP))),
                selector.alternative(new MemberRef("A", MemberRole.PRIMARY)));
        assertEquals(Optional.of(new Destination("10.0.0.1", 5070, TCP, new MemberRef("A", MemberRole.PRIMARY))),
                selector.alternative(new MemberRef("A", MemberRole.BACKUP)));
    }

    @Test
    public void noAlternativeWhenTheOtherMemberIsDown() {
        pairs.pair("A", TCP, "10.0.0.1:5070", true, "10.0.0.2:5070", false, MemberRole.PRIMARY);
        assertEquals(Optional.empty(), selector.alternative(new MemberRef("A", MemberRole.PRIMARY)));
    }

    @Test
    public void noAlternativeWithoutBackupOrForUnknownPair() {
        pairs.pair("B", UDP, "10.0.1.1:5060", true, null, false, MemberRole.PRIMARY);
        assertEquals(Optional.empty(), selector.alternative(new MemberRef("B", MemberRole.PRIMARY)));
        assertEquals(Optional.empty(), selector.alternative(new MemberRef("nosuch", MemberRole.PRIMARY)));
    }

    @Test
    public void destinationHopCarriesHostPortAndTransport() {
        javax.sip.address.Hop hop = new Destination("10.0.0.1", 5070, TCP, null).hop();
        assertEquals("10.0.0.1", hop.getHost());
        assertEquals(5070, hop.getPort());
        assertTrue(hop.getTransport(), "tcp".equalsIgnoreCase(hop.getTransport()));
        assertNull(new Destination("10.0.0.1", 5070, TCP, null).member());
    }
}
