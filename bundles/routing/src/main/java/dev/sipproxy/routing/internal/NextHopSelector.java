package dev.sipproxy.routing.internal;

import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.SipTransportType;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

/**
 * Chooses the next hop of a request whose own Route entries are already removed:
 * <ol>
 * <li>a remaining Route: its top entry (loose routing, the Request-URI stays);</li>
 * <li>a request from a SIP Server: its Request-URI;</li>
 * <li>an in-dialog request from an endpoint: the SIP Server of its dialog ({@link DialogRoute});</li>
 * <li>any other request from an endpoint: the active member of the serving pair, or 503 if it has none.</li>
 * </ol>
 */
final class NextHopSelector {
    private final SipServerPairs pairs;

    NextHopSelector(SipServerPairs pairs) {
        this.pairs = pairs;
    }

    /**
     * @param ownRoute the last of this proxy's own Route entries removed from the request, or null
     */
    Destination select(Request request, SipURI ownRoute, Optional<MemberRef> fromServer, RoutingSettings settings)
            throws Rejection {
        RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
        if (route != null) {
            return toUri(route.getAddress().getURI(), "Route");
        }
        if (fromServer.isPresent()) {
            return toUri(request.getRequestURI(), "Request-URI");
        }
        Optional<Destination> dialog = DialogRoute.read(ownRoute, pairs);
        if (dialog.isPresent()) {
            return dialog.get();
        }
        return toServingPair(settings);
    }

    /** The active member of the pair that serves endpoints. */
    Destination toServingPair(RoutingSettings settings) throws Rejection {
        PairState pair = servingPair(settings);
        Optional<MemberState> member = pair.activeMember();
        if (member.isEmpty() && settings.fallbackSipServer().isPresent()) {
            Optional<PairState> fallback = pairs.pair(settings.fallbackSipServer().get());
            if (fallback.isPresent() && fallback.get().activeMember().isPresent()) {
                return toMember(fallback.get(), fallback.get().activeMember().get());
            }
        }
        if (member.isEmpty()) {
            throw new Rejection(503, "SIP Server pair '" + pair.pair().name() + "' is out of service"
                    + settings.fallbackSipServer().map(f -> ", and so is its fallback '" + f + "'").orElse(""), settings.retryAfter());
        }
        return toMember(pair, member.get());
    }

    /**
     * The SIP Server a new dialog is set up with, to be written in the Record-Route: the
     * destination when it is a pair member, else the member the request came from, else none.
     */
    Destination dialogServer(Destination to, Optional<MemberRef> fromServer) {
        if (to.isPairMember() || fromServer.isEmpty()) {
            return to.isPairMember() ? to : null;
        }
        MemberRef ref = fromServer.get();
        return pairs.pair(ref.pair()).flatMap(p -> p.member(ref.role()).map(m -> toMember(p, m))).orElse(null);
    }

    /** The other member of {@code pair}, for a retry after {@code failed} did not answer, if it is usable. */
    Optional<Destination> alternative(MemberRef failed) {
        Optional<PairState> pair = pairs.pair(failed.pair());
        if (pair.isEmpty()) {
            return Optional.empty();
        }
        return pair.get().member(failed.role().other())
                .filter(MemberState::usable)
                .map(m -> toMember(pair.get(), m));
    }

    private PairState servingPair(RoutingSettings settings) throws Rejection {
        if (settings.servingSipServer().isPresent()) {
            String name = settings.servingSipServer().get();
            return pairs.pair(name).orElseThrow(
                    () -> new Rejection(503, "serving-sipserver '" + name + "' is not a configured pair", settings.retryAfter()));
        }
        List<PairState> all = pairs.pairs();
        if (all.size() != 1) {
            throw new Rejection(503, all.isEmpty() ? "no SIP Server pair is configured"
                    : "several SIP Server pairs are configured and serving-sipserver names none", settings.retryAfter());
        }
        return all.get(0);
    }

    private static Destination toMember(PairState pair, MemberState member) {
        return new Destination(member.ip(), member.address().port(), pair.pair().transport(),
                new MemberRef(pair.pair().name(), member.role()));
    }

    static Destination toUri(URI uri, String where) throws Rejection {
        if (!(uri instanceof SipURI sip)) {
            throw new Rejection(416, "the " + where + " scheme '" + uri.getScheme() + "' cannot be routed");
        }
        String host = sip.getMAddrParam() != null ? sip.getMAddrParam() : sip.getHost();
        SipTransportType transport = transportOf(sip);
        int port = sip.getPort() > 0 ? sip.getPort() : (transport == SipTransportType.TLS ? 5061 : 5060);
        return new Destination(stripBrackets(host), port, transport, null);
    }

    private static SipTransportType transportOf(SipURI uri) throws Rejection {
        String t = uri.getTransportParam();
        if (t == null) {
            return uri.isSecure() ? SipTransportType.TLS : SipTransportType.UDP;
        }
        switch (t.toLowerCase(Locale.ROOT)) {
            case "udp":
                return SipTransportType.UDP;
            case "tcp":
                return uri.isSecure() ? SipTransportType.TLS : SipTransportType.TCP;
            case "tls":
                return SipTransportType.TLS;
            default:
                throw new Rejection(503, "transport '" + t + "' is not supported");
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
