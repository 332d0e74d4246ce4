package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.SipTransportType;

import java.text.ParseException;
import java.util.Optional;

import javax.sip.address.SipURI;

import org.junit.Test;

public class DialogRouteTest {
    private final FakeSipServerPairs pairs = new FakeSipServerPairs()
            .pair("A", SipTransportType.TCP, "10.0.0.1:5070", true, "10.0.0.2:5072", true, MemberRole.PRIMARY);

    /** Writes the dialog target into a Record-Route URI and parses that URI back from its text, as it returns in a Route. */
    private static SipURI writtenAndReparsed(Destination to) throws ParseException {
        SipURI rr = Sip.sipUri("sip:192.0.2.10:5060;transport=tcp;lr");
        DialogRoute.write(rr, to);
        return Sip.sipUri(rr.toString());
    }

    @Test
    public void writeThenReadRoundTrips() throws ParseException {
        Destination to = new Destination("10.0.0.2", 5072, SipTransportType.TCP, new MemberRef("A", MemberRole.BACKUP));
        SipURI route = writtenAndReparsed(to);
        assertEquals("A", route.getParameter(DialogRoute.PAIR));
        assertEquals("tcp:10.0.0.2:5072", route.getParameter(DialogRoute.DESTINATION));
        assertEquals(Optional.of(to), DialogRoute.read(route, pairs));
    }

    @Test
    public void writeThenReadRoundTripsAnIpv6Member() throws ParseException {
        pairs.pair("V6", SipTransportType.UDP, "[2001:db8::1]:5060", true, null, false, MemberRole.PRIMARY);
        Destination to = new Destination("2001:db8::1", 5060, SipTransportType.UDP, new MemberRef("V6", MemberRole.PRIMARY));
        SipURI route = writtenAndReparsed(to);
        assertEquals(Optional.of(to), DialogRoute.read(route, pairs));
    }

    @Test
    public void nothingIsWrittenForANonMemberDestination() throws ParseException {
        SipURI route = writtenAndReparsed(new Destination("198.51.100.20", 5060, SipTransportType.UDP, null));
        assertNull(route.getParameter(DialogRoute.PAIR));
        assertNull(route.getParameter(DialogRoute.DESTINATION));
        assertEquals(Optional.empty(), DialogRoute.read(route, pairs));
    }

    @Test
    public void noRouteOrNoDialogParametersReadsEmpty() {
        assertEquals(Optional.empty(), DialogRoute.read(null, pairs));
        assertEquals(Optional.empty(), DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr"), pairs));
        assertEquals(Optional.empty(), DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A"), pairs));
        assertEquals(Optional.empty(), DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-dst=udp:10.0.0.1:5070"), pairs));
    }

    @Test
    public void malformedDestinationReadsEmpty() {
        assertEquals(Optional.empty(), DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=10.0.0.1"), pairs));
        assertEquals(Optional.empty(), DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=sctp:10.0.0.1:5070"), pairs));
        assertEquals(Optional.empty(), DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=udp:10.0.0.1:x"), pairs));
        assertEquals(Optional.empty(), DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=udp:10.0.0.1:99999"), pairs));
    }

    @Test
    public void destinationThatIsNoLongerAMemberIsReturnedAsIs() {
        // the dialog was set up with 10.0.0.9, which has since been reconfigured away
        Optional<Destination> d = DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=udp:10.0.0.9:5080"), pairs);
        assertEquals(Optional.of(new Destination("10.0.0.9", 5080, SipTransportType.UDP, null)), d);
    }

    @Test
    public void destinationWithoutPortGets5060() {
        Optional<Destination> d = DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=udp:10.0.0.9"), pairs);
        assertEquals(Optional.of(new Destination("10.0.0.9", 5060, SipTransportType.UDP, null)), d);
    }

    @Test
    public void knownMemberThatIsDownMapsToThePairsActiveMember() {
        pairs.pair("A", SipTransportType.TCP, "10.0.0.1:5070", false, "10.0.0.2:5072", true, MemberRole.BACKUP);
        Optional<Destination> d = DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=tcp:10.0.0.1:5070"), pairs);
        assertEquals(Optional.of(new Destination("10.0.0.2", 5072, SipTransportType.TCP, new MemberRef("A", MemberRole.BACKUP))), d);
    }

    @Test
    public void knownMemberThatIsDownInAnOutOfServicePairReadsEmpty() {
        pairs.pair("A", SipTransportType.TCP, "10.0.0.1:5070", false, "10.0.0.2:5072", false, null);
        assertEquals(Optional.empty(),
                DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=tcp:10.0.0.1:5070"), pairs));
    }

    @Test
    public void usableMemberKeepsTheDialogEvenWhenItIsNotActive() {
        // the backup holds the dialog; the primary being active for new calls does not move it
        Optional<Destination> d = DialogRoute.read(Sip.sipUri("sip:192.0.2.10;lr;sp-pair=A;sp-dst=tcp:10.0.0.2:5072"), pairs);
        assertEquals(Optional.of(new Destination("10.0.0.2", 5072, SipTransportType.TCP, new MemberRef("A", MemberRole.BACKUP))), d);
    }
}
