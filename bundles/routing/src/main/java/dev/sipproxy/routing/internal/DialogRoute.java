package dev.sipproxy.routing.internal;

import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.SipTransportType;

import java.text.ParseException;
import java.util.Optional;

import javax.sip.address.SipURI;

/**
 * The SIP Server a dialog was set up with, carried in this proxy's Record-Route URI
 * ({@code ;sp-pair=NAME;sp-dst=udp:IP:PORT}) instead of in memory. An in-dialog request from an
 * endpoint then reaches the server that holds the dialog, whichever proxy instance it passes and
 * even after that server's address was reconfigured; if that member is known to be down, the
 * pair's active member takes it (the HA pair shares its dialogs).
 */
final class DialogRoute {
    static final String PAIR = "sp-pair";
    static final String DESTINATION = "sp-dst";

    private DialogRoute() {
    }

    static void write(SipURI recordRoute, Destination to) throws ParseException {
        if (to.isPairMember()) {
            recordRoute.setParameter(PAIR, to.member().pair());
            recordRoute.setParameter(DESTINATION, to.transport().token() + ":" + new HostPort(to.host(), to.port()));
        }
    }

    /** Where an in-dialog request goes, from the proxy's own Route entry; empty if it carries no dialog target. */
    static Optional<Destination> read(SipURI ownRoute, SipServerPairs pairs) {
        if (ownRoute == null) {
            return Optional.empty();
        }
        String pairName = ownRoute.getParameter(PAIR);
        String dst = ownRoute.getParameter(DESTINATION);
        if (pairName == null || dst == null) {
            return Optional.empty();
        }
        SipTransportType transport;
        HostPort address;
        try {
            int colon = dst.indexOf(':');
            transport = SipTransportType.parse(dst.substring(0, Math.max(colon, 0)));
            address = HostPort.parse(dst.substring(colon + 1), 5060);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Optional<MemberRef> member = pairs.memberAt(address.host(), address.port());
        if (member.isEmpty()) {
            // No longer a configured member (moved or removed): the dialog still lives there.
            return Optional.of(new Destination(address.host(), address.port(), transport, null));
        }
        Optional<PairState> pair = pairs.pair(member.get().pair());
        Optional<MemberState> state = pair.flatMap(p -> p.member(member.get().role()));
        if (state.isPresent() && state.get().usable()) {
            return Optional.of(new Destination(address.host(), address.port(), transport, member.get()));
        }
        return pair.flatMap(PairState::activeMember).map(m -> new Destination(m.ip(), m.address().port(),
                pair.get().pair().transport(), new MemberRef(pair.get().pair().name(), m.role())));
    }
}
