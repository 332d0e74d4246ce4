package dev.sipproxy.routing.internal;

import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.ProxyPool;
import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.transport.SipTransport;

import gov.nist.javax.sip.message.SIPMessage;

import java.text.ParseException;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/** Turns a received request into the copy that goes downstream (RFC 3261 section 16.6). */
final class RequestForwarder {
    private final SipTransport transport;
    private final Identifiers ids;
    /** The proxy pool, if the pool bundle runs (may supply null). */
    private final Supplier<ProxyPool> pool;
    private final RecordRouteTemplates recordRoutes = new RecordRouteTemplates();

    RequestForwarder(SipTransport transport, Identifiers ids) {
        this(transport, ids, () -> null);
    }

    RequestForwarder(SipTransport transport, Identifiers ids, Supplier<ProxyPool> pool) {
        this.transport = transport;
        this.ids = ids;
        this.pool = pool;
    }

    /** True when a Route or Request-URI host:port names this proxy: one of its own addresses or the pool address. */
    boolean isThisProxy(String host, int port) {
        if (transport.isOwnAddress(host, port)) {
            return true;
        }
        ProxyPool p = pool.get();
        return p != null && p.isPoolAddress(host, port);
    }

    /**
     * Step 4 of 16.4: removes the Route entries that name this proxy from the top of the copy.
     *
     * @return the last one removed (it carries the dialog's SIP Server, see {@link DialogRoute}), or null
     */
    SipURI removeOwnRoutes(Request copy) {
        RouteHeader route;
        SipURI own = null;
        while ((route = (RouteHeader) copy.getHeader(RouteHeader.NAME)) != null
                && route.getAddress().getURI() instanceof SipURI uri
                && isThisProxy(uri.getHost(), uri.getPort())) {
            own = uri;
            copy.removeFirst(RouteHeader.NAME);
        }
        return own;
    }

    /** Step 3: Max-Forwards decremented, or set to 70 when absent. */
    void decrementMaxForwards(Request copy) throws InvalidArgumentException {
        MaxForwardsHeader mf = (MaxForwardsHeader) copy.getHeader(MaxForwardsHeader.NAME);
        if (mf == null) {
            copy.setHeader(transport.headerFactory().createMaxForwardsHeader(70));
        } else {
            mf.setMaxForwards(Math.max(0, mf.getMaxForwards() - 1));
        }
    }

    /**
     * Step 4: Record-Route with {@code ;lr} on requests that can create a dialog. When the two sides
     * differ in transport or address, two entries (RFC 5658), so each side routes to the address it
     * can reach.
     */
    void recordRoute(Request copy, SipTransportType inTransport, String upstreamIp, Destination to)
            throws ParseException, SipException {
        recordRoute(copy, inTransport, upstreamIp, to, to.isPairMember() ? to : null);
    }

    /** As above; {@code dialogServer} (may be null) is the SIP Server of the dialog, see {@link DialogRoute}. */
    void recordRoute(Request copy, SipTransportType inTransport, String upstreamIp, Destination to, Destination dialogServer)
            throws ParseException, SipException {
        if (!createsDialog(copy)) {
            return;
        }
        ProxyPool p = pool.get();
        Optional<HostPort> poolAddress = p == null ? Optional.empty() : p.poolAddress();
        // With a pool address, any instance of the pool can take the dialog's in-dialog requests.
        String outHost = poolAddress.map(HostPort::host).orElseGet(() -> transport.advertisedHost(to.host()));
        String inHost = poolAddress.map(HostPort::host).orElseGet(() -> transport.advertisedHost(upstreamIp));
        int outPort = poolAddress.map(HostPort::port).orElseGet(() -> transport.port(to.transport()));
        int inPort = poolAddress.map(HostPort::port).orElseGet(() -> transport.port(inTransport));
        if (outHost.equals(inHost) && inTransport == to.transport()) {
            copy.addFirst(recordRouteHeader(outHost, outPort, to.transport(), dialogServer));
        } else {
            copy.addFirst(recordRouteHeader(inHost, inPort, inTransport, dialogServer));
            copy.addFirst(recordRouteHeader(outHost, outPort, to.transport(), dialogServer));
        }
    }

    /**
     * RFC 3261 section 16.4: a previous hop that is a strict router put this proxy's Record-Route
     * value into the Request-URI; the real Request-URI is the last Route entry. Returns the
     * replaced Request-URI (it carries the dialog's SIP Server), or null if nothing was done.
     */
    SipURI restoreFromStrictRouter(Request copy) {
        if (!(copy.getRequestURI() instanceof SipURI uri) || uri.getUser() != null || !uri.hasLrParam()
                || !isThisProxy(uri.getHost(), uri.getPort())) {
            return null;
        }
        java.util.List<RouteHeader> routes = new java.util.ArrayList<>();
        java.util.ListIterator<?> it = copy.getHeaders(RouteHeader.NAME);
        while (it.hasNext()) {
            routes.add((RouteHeader) it.next());
        }
        if (routes.isEmpty()) {
            return null;
        }
        RouteHeader last = routes.remove(routes.size() - 1);
        copy.setRequestURI(last.getAddress().getURI());
        copy.removeHeader(RouteHeader.NAME);
        for (RouteHeader r : routes) {
            copy.addHeader(r);
        }
        return uri;
    }

    /**
     * RFC 3261 section 16.6 step 6: when the next hop (the top Route) is a strict router (no
     * {@code ;lr}), the Request-URI goes to the end of the Route set and the top Route becomes the
     * Request-URI.
     */
    void postprocessForStrictRouter(Request copy) throws SipException {
        RouteHeader top = (RouteHeader) copy.getHeader(RouteHeader.NAME);
        if (top == null || !(top.getAddress().getURI() instanceof SipURI uri) || uri.hasLrParam()) {
            return;
        }
        javax.sip.address.URI requestUri = copy.getRequestURI();
        copy.removeFirst(RouteHeader.NAME);
        copy.setRequestURI(uri);
        copy.addLast(transport.headerFactory().createRouteHeader(transport.addressFactory().createAddress(requestUri)));
    }

    /** Step 8: puts this proxy's Via with a fresh branch on top of the request and attaches the chosen hop for the stack's router. */
    Request addBranch(Request request, Destination to) throws ParseException, InvalidArgumentException, SipException {
        return addBranch(request, to, null);
    }

    /** As above, with the request's loop-detection hash ending the branch (may be null). */
    Request addBranch(Request request, Destination to, String loopHash)
            throws ParseException, InvalidArgumentException, SipException {
        int port = transport.port(to.transport());
        if (port < 0) {
            throw new SipException("the proxy has no " + to.transport() + " listening point");
        }
        ViaHeader via = transport.headerFactory().createViaHeader(
                transport.advertisedHost(to.host()), port, to.transport().token(),
                loopHash == null ? ids.newBranch() : ids.newBranch(loopHash));
        via.setRPort();
        request.addFirst(via);
        ((SIPMessage) request).setApplicationData(to.hop());
        return request;
    }

    /** A copy of a request that went out with {@link #addBranch}, without the Via it got there. */
    Request withoutBranch(Request sent) {
        Request base = (Request) sent.clone();
        base.removeFirst(ViaHeader.NAME);
        ((SIPMessage) base).setApplicationData(null);
        return base;
    }

    private RecordRouteHeader recordRouteHeader(String host, int port, SipTransportType t, Destination dialogServer)
            throws ParseException {
        RecordRouteHeader rr = recordRoutes.create(host, port, t, transport.addressFactory(), transport.headerFactory());
        if (dialogServer != null) {
            DialogRoute.write((SipURI) rr.getAddress().getURI(), dialogServer);
        }
        return rr;
    }

    private static boolean createsDialog(Request request) {
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        if (to != null && to.getTag() != null) {
            return false;
        }
        switch (request.getMethod()) {
            case Request.INVITE, Request.SUBSCRIBE, Request.REFER, Request.NOTIFY:
                return true;
            default:
                return false;
        }
    }
}
