package dev.sipproxy.routing.internal;

import dev.sipproxy.api.AdmissionControl;
import dev.sipproxy.api.EventLog;
import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.ProxyPool;
import dev.sipproxy.api.ProxyStatistics;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.config.LastGoodConfig;
import dev.sipproxy.api.state.SavedState;
import dev.sipproxy.api.transport.ProxyContext;
import dev.sipproxy.api.transport.SipMessageHandler;
import dev.sipproxy.api.transport.SipTransport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPServerTransaction;

import java.net.InetAddress;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.header.AllowHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction-stateful proxy core (RFC 3261 section 16). Endpoint requests go to the active
 * member of the serving SIP Server pair; SIP Server requests go to their Request-URI; anything with a
 * Route left after this proxy's own goes to that Route. Every request except ACK is proxied within
 * a server transaction and a client transaction, so retransmissions are absorbed and responses
 * are matched; ACKs for 2xx and stray 2xx retransmissions are forwarded statelessly (RFC 6026).
 */
@Component(service = {SipMessageHandler.class, ProxyStatistics.class}, configurationPid = ProxyCore.PID, immediate = true)
@Designate(ocd = RoutingConfig.class)
public class ProxyCore implements SipMessageHandler, ProxyStatistics {
    static final String PID = "dev.sipproxy.routing";
    /** Name of the counters handed over to the next start of this bundle. */
    private static final String COUNTERS_STATE = "counters";
    private static final Logger LOG = LoggerFactory.getLogger(ProxyCore.class);

    private final BundleContext context;
    private final SipTransport transport;
    private final SipServerPairs pairs;
    private final Identifiers ids = new Identifiers();
    private final Responses responses;
    private final RequestForwarder forwarder;
    private final NextHopSelector selector;
    /** INVITEs still open to a CANCEL, by {@link #cancelKey(Request)}. */
    private final ConcurrentMap<String, ProxyTransaction> openInvites = new ConcurrentHashMap<>();
    private final ProxyCounters counters = new ProxyCounters(openInvites::size);
    private volatile RoutingSettings settings;
    /** Whether this start of the core took over a request from an earlier one yet (logged once). */
    private final AtomicBoolean tookOverAny = new AtomicBoolean();
    /** Fires the failover timer of requests sent to a pair member; a cancelled timer leaves at once. */
    private final ScheduledThreadPoolExecutor timer = failoverTimerThread();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AdmissionControl admission;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ProxyPool pool;

    @Activate
    public ProxyCore(BundleContext context, @Reference SipTransport transport, @Reference SipServerPairs pairs,
                     Map<String, Object> properties) {
        this.context = context;
        this.transport = transport;
        this.pairs = pairs;
        this.responses = new Responses(transport, ids, counters);
        this.forwarder = new RequestForwarder(transport, ids, () -> this.pool);
        this.selector = new NextHopSelector(pairs);
        this.settings = parseOr(properties, RoutingSettings.DEFAULTS);
        SavedState.load(context, COUNTERS_STATE).ifPresent(counters::restore);
        transport.screenNewDialogs(new ReceiptScreen(() -> this.admission, ids, counters));
        EventLog.log(ProxyEvent.SPR_PROXY_INITIALIZED, "SIP proxy ready to route: listening on {}, endpoint calls go to pair {}",
                transport.listeningPoints(), settings.servingSipServer().orElse("(the only configured pair)"));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        settings = parseOr(properties, settings);
    }

    @Deactivate
    void deactivate() {
        transport.screenNewDialogs(null);
        timer.shutdownNow();
        openInvites.clear();
        SavedState.save(context, COUNTERS_STATE, counters.save());
    }

    private static RoutingSettings parseOr(Map<String, Object> properties, RoutingSettings lastGood) {
        RoutingSettings s = LastGoodConfig.parseOrKeep(PID, properties, RoutingSettings::parse, lastGood);
        if (s != lastGood) {
            LOG.info("Routing settings: {}", s);
        }
        return s;
    }

    // ---- requests -------------------------------------------------------------------------------

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        counters.requestReceived(request.getMethod());
        try {
            switch (request.getMethod()) {
                case Request.ACK -> forwardAck(request);
                case Request.CANCEL -> cancel(event);
                default -> proxy(event);
            }
        } catch (RuntimeException | ParseException | InvalidArgumentException | SipException e) {
            LOG.warn("Could not handle {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString(), e);
        }
    }

    private void proxy(RequestEvent event) throws ParseException, InvalidArgumentException, SipException {
        Request request = event.getRequest();
        // RFC 2543 elements send no Max-Forwards, and their INVITEs may have no Contact; the stack
        // wants both for a transaction. The forwarded copy gets Max-Forwards 70 (RFC 3261 section
        // 16.6 step 3) and, for the Contact, the From URI, which is what an RFC 2543 UAS takes as
        // the remote target of such a dialog anyway.
        boolean noMaxForwards = request.getHeader(MaxForwardsHeader.NAME) == null;
        if (noMaxForwards) {
            request.setHeader(transport.headerFactory().createMaxForwardsHeader(70));
        }
        if (Request.INVITE.equals(request.getMethod()) && request.getHeader(ContactHeader.NAME) == null) {
            request.setHeader(transport.headerFactory().createContactHeader(
                    transport.addressFactory().createAddress(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI())));
        }
        boolean invite = Request.INVITE.equals(request.getMethod());
        // Admission comes first: under overload a refused INVITE must cost as little as can be (no
        // copy, no loop hash), or refusing it does not relieve the proxy. Over UDP the transport
        // mostly decided on receipt, from the raw datagram (ReceiptScreen); here come only the
        // INVITEs it could not read with certainty. Over UDP the 503 goes out without a
        // transaction: one would keep the parsed INVITE until the ACK and 5 s after (Timer I), 32 s
        // if the ACK is lost; at thousands of refusals a second that fills the heap. A retransmitted
        // INVITE is simply refused again, and the ACK is absorbed by its To tag.
        if (invite && isNewDialog(request) && event.getServerTransaction() == null && !transport.admittedOnReceipt()) {
            AdmissionControl a = admission;
            if (a != null && !a.admitNewDialog()) {
                Rejection refused = new Rejection(503, "new dialogs refused by overload control", a.retryAfterSeconds());
                if (incomingTransport(request) == SipTransportType.UDP) {
                    LOG.debug("INVITE {} answered 503 without a transaction: {}", request.getRequestURI(), refused.getMessage());
                    counters.rejected(503);
                    responses.refuseStateless(refused, request);
                } else {
                    ServerTransaction server = serverTransaction(event);
                    if (server != null) {
                        reject(server, request, refused);
                    }
                }
                return;
            }
        }
        ServerTransaction server = serverTransaction(event);
        if (server == null) {
            return;
        }
        RoutingSettings s = settings;
        Request copy = (Request) request.clone();
        try {
            SipURI fromStrictRouter = forwarder.restoreFromStrictRouter(copy);
            SipURI ownRoute = forwarder.removeOwnRoutes(copy);
            if (ownRoute == null) {
                ownRoute = fromStrictRouter;
            }
            if (isOptionsForThisProxy(copy)) {
                answerOptions(server, request);
                return;
            }
            ProxyPool p = pool;
            if (p != null && !p.routingAllowed()) {
                throw new Rejection(503, "this instance's address is not in the proxy instance list", s.retryAfter());
            }
            RequestChecks.checkScheme(copy);
            RequestChecks.checkMaxForwards(copy);
            RequestChecks.checkProxyRequire(copy, s.supportedProxyRequire());
            RequestChecks.checkMaxBreadth(copy);
            String loopHash = LoopDetector.hash(copy);
            if (LoopDetector.looped(request, loopHash, forwarder::isThisProxy)) {
                throw new Rejection(Response.LOOP_DETECTED, "the request came back unchanged: a loop");
            }
            Optional<MemberRef> fromServer = sourceMember((SIPRequest) request);
            Destination to = notToItself(selector.select(copy, ownRoute, fromServer, s));
            forwarder.postprocessForStrictRouter(copy);
            if (!noMaxForwards) {
                forwarder.decrementMaxForwards(copy);
            }
            if (s.recordRoute()) {
                forwarder.recordRoute(copy, incomingTransport(request), remoteIp((SIPRequest) request), to,
                        selector.dialogServer(to, fromServer));
            }
            ProxyTransaction tx = new ProxyTransaction(server, copy, invite ? cancelKey(request) : null);
            tx.loopHash = loopHash;
            server.setApplicationData(tx);
            if (invite) {
                openInvites.put(tx.cancelKey, tx);
                responses.send(server, responses.create(Response.TRYING, request));
            }
            forward(tx, to);
        } catch (Rejection r) {
            reject(server, request, r);
        }
    }

    private void reject(ServerTransaction server, Request request, Rejection r) throws ParseException, InvalidArgumentException {
        LOG.debug("{} {} answered {}: {}", request.getMethod(), request.getRequestURI(), r.statusCode(), r.getMessage());
        counters.rejected(r.statusCode());
        responses.send(server, responses.reject(r, request));
    }

    /** The request's server transaction, created if the stack has none yet; null for a retransmission. */
    private ServerTransaction serverTransaction(RequestEvent event) throws ParseException {
        ServerTransaction server = event.getServerTransaction();
        if (server != null) {
            return server;
        }
        try {
            return transport.provider().getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        } catch (TransactionUnavailableException e) {
            LOG.debug("No server transaction for {}: {}", event.getRequest().getMethod(), e.getMessage());
            responses.sendStateless(responses.create(Response.BAD_REQUEST, event.getRequest()));
            return null;
        }
    }

    /**
     * What a new branch starts from: the template itself for the first, so that a request is copied
     * once on its way through (the routing's copy), not twice; for a retry, a copy of the template
     * without the Via the first branch put on it. The first branch's transaction keeps the template
     * as it went out, for its CANCEL and ACK.
     */
    private Request branchBase(ProxyTransaction tx) {
        return tx.wasTemplateSent() ? forwarder.withoutBranch(tx.template) : tx.template;
    }

    /** Sends the request to {@code to} on a new branch; a transport error counts as a 503 from it. */
    private void forward(ProxyTransaction tx, Destination to) throws ParseException, InvalidArgumentException {
        try {
            Request out = forwarder.addBranch(branchBase(tx), to, tx.loopHash);
            tx.templateSent();
            ClientTransaction client;
            try {
                client = transport.provider().getNewClientTransaction(out);
            } catch (TransactionUnavailableException badRequest) {
                // the request itself is unfit to send (the stack's header checks): the caller's fault, not the next hop's
                if (tx.claimFinal()) {
                    finished(tx);
                    LOG.debug("{} refused: {}", out.getMethod(), badRequest.getMessage());
                    responses.send(tx.server, responses.create(Response.BAD_REQUEST, tx.server.getRequest()));
                }
                return;
            }
            client.setApplicationData(tx);
            tx.branchStarted(client, to);
            client.sendRequest();
            int failoverAfter = settings.failoverTimerMillis();
            if (failoverAfter > 0 && to.isPairMember() && tx.mayRetry()) {
                armFailoverTimer(tx, client, failoverAfter, true);
            }
        } catch (SipException e) {
            branchFailed(tx, to, "transport error towards " + to.host() + ":" + to.port() + ": " + e.getMessage(), Response.SERVICE_UNAVAILABLE);
        }
    }

    /**
     * The failover timer: a branch to a pair member that has had no response at all is given up for
     * the other member, if that one is usable, unless the member is plainly alive: it answered
     * something else in the second half of the wait. Then the silence is this proxy's own backlog
     * (the member's answers wait in the stack's queue) or one lost datagram (retransmission covers
     * it), and failing the member over would turn a busy proxy into an out-of-service pair.
     * A timer that fired late (this proxy was starved) waits once more before it blames the member,
     * and one that fires while this proxy is behind on what it received, or after it dropped stale
     * messages since the request went out, waits again, as long as that lasts (the branch's own
     * transaction timeout still ends it): the silence may be its own queue.
     */
    private void failoverIfSilent(ProxyTransaction tx, ClientTransaction client, long sentAtMillis, long dueAtMillis,
                                  boolean mayRearm) {
        // A branch that was answered (or can no longer be retried) has nothing to fail over: its timer
        // ends here, and is not armed again, late or behind, for nothing.
        if (!tx.isCurrent(client) || tx.provisionalSeen() || !tx.mayRetry()) {
            return;
        }
        int failoverAfter = settings.failoverTimerMillis();
        // A timer that fires late means this proxy was starved (CPU, a GC pause): the member's answer may
        // be waiting in the receive queue. One more full wait before the member is blamed.
        if (mayRearm && System.currentTimeMillis() - dueAtMillis > failoverAfter / 4 && failoverAfter > 0) {
            armFailoverTimer(tx, client, failoverAfter, false);
            return;
        }
        if (failoverAfter > 0 && transport.behindSince(sentAtMillis)) {
            armFailoverTimer(tx, client, failoverAfter, false);
            return;
        }
        // Without a usable other member there is nothing to gain: the branch keeps its own timers.
        if (!pairs.answeredSince(tx.destination().member(), sentAtMillis + settings.failoverTimerMillis() / 2)
                && selector.alternative(tx.destination().member()).isPresent()) {
            try {
                branchFailed(tx, tx.destination(), "no response within " + settings.failoverTimerMillis() + " ms", Response.REQUEST_TIMEOUT);
            } catch (ParseException | InvalidArgumentException | RuntimeException e) {
                LOG.warn("Failover of {} failed: {}", tx.template.getMethod(), e.toString());
            }
        }
    }

    private void armFailoverTimer(ProxyTransaction tx, ClientTransaction client, int afterMillis, boolean mayRearm) {
        long now = System.currentTimeMillis();
        try {
            tx.failoverTimerArmed(timer.schedule(() -> failoverIfSilent(tx, client, now, now + afterMillis, mayRearm),
                    afterMillis, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the core is being deactivated: the branch keeps the stack's own timers
        }
    }

    /**
     * A branch got no answer, a transport error or a 503. A pair member is reported to health, and
     * the request is retried on the other member if nothing was sent upstream yet; otherwise the
     * caller gets the final response (503 becomes 500: RFC 3261 section 16.7 step 6).
     */
    private void branchFailed(ProxyTransaction tx, Destination failed, String reason, int statusCode)
            throws ParseException, InvalidArgumentException {
        if (failed.isPairMember()) {
            pairs.memberFailed(failed.member(), reason);
            if (tx.mayRetry()) {
                Optional<Destination> other = selector.alternative(failed.member());
                if (other.isPresent()) {
                    LOG.info("{} to {} failed ({}); retrying on {}", tx.template.getMethod(), failed.member(), reason, other.get().member());
                    counters.failover();
                    forward(tx, other.get());
                    return;
                }
            }
        }
        answerFinal(tx, statusCode == Response.SERVICE_UNAVAILABLE ? Response.SERVER_INTERNAL_ERROR : statusCode);
    }

    /** Ends the proxy transaction with {@code statusCode} (487 if the caller cancelled), unless a final response went already. */
    private void answerFinal(ProxyTransaction tx, int statusCode) throws ParseException, InvalidArgumentException {
        int code = tx.cancelRequested() ? Response.REQUEST_TERMINATED : statusCode;
        if (tx.claimFinal()) {
            finished(tx);
            responses.send(tx.server, responses.create(code, tx.server.getRequest()));
        }
    }

    private void forwardAck(Request request) throws ParseException, InvalidArgumentException, SipException {
        if (ids.isRefusalTag(((ToHeader) request.getHeader(ToHeader.NAME)).getTag())) {
            return; // the ACK to a 503 this proxy sent without a transaction: it ends here
        }
        Request copy = (Request) request.clone();
        SipURI fromStrictRouter = forwarder.restoreFromStrictRouter(copy);
        SipURI ownRoute = forwarder.removeOwnRoutes(copy);
        if (ownRoute == null) {
            ownRoute = fromStrictRouter;
        }
        try {
            RequestChecks.checkMaxForwards(copy);
            Destination to = notToItself(selector.select(copy, ownRoute, sourceMember((SIPRequest) request), settings));
            forwarder.postprocessForStrictRouter(copy);
            forwarder.decrementMaxForwards(copy);
            transport.provider().sendRequest(forwarder.addBranch(copy, to));
        } catch (Rejection r) {
            LOG.debug("ACK {} dropped: {}", request.getRequestURI(), r.getMessage());
        }
    }

    private void cancel(RequestEvent event) throws ParseException, InvalidArgumentException, SipException {
        Request cancel = event.getRequest();
        ServerTransaction server = serverTransaction(event);
        if (server == null) {
            return;
        }
        ProxyTransaction tx = openInvites.get(cancelKey(cancel));
        if (tx == null && server instanceof SIPServerTransaction st && st.getCanceledInviteTransaction() != null) {
            // an INVITE proxied by this core's previous start (the table did not survive it), if the stack knows it
            tx = contextOf(st.getCanceledInviteTransaction().getApplicationData());
        }
        if (tx == null || tx.finalResponseSent()) {
            responses.send(server, responses.create(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, cancel));
            return;
        }
        responses.send(server, responses.create(Response.OK, cancel));
        if (tx.cancel()) {
            sendCancel(tx);
        }
    }

    /** CANCELs the current branch (it has had a provisional response, as RFC 3261 section 9.1 asks). */
    private void sendCancel(ProxyTransaction tx) {
        try {
            Request cancel = tx.client().createCancel();
            ((SIPMessage) cancel).setApplicationData(tx.destination().hop());
            transport.provider().getNewClientTransaction(cancel).sendRequest();
        } catch (SipException | RuntimeException e) {
            LOG.debug("Could not CANCEL towards {}: {}", tx.destination(), e.toString());
        }
    }

    // ---- responses ------------------------------------------------------------------------------

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        try {
            ClientTransaction client = event.getClientTransaction();
            if (client == null) {
                forwardStray(response);
            } else {
                ProxyTransaction tx = contextOf(client.getApplicationData());
                if (tx != null && tx.isCurrent(client)) {
                    relay(tx, response);
                } else if (tx == null && response.getStatusCode() / 100 == 2 && isInviteResponse(response)) {
                    // a 2xx retransmission after the request finished: every 2xx goes to the caller
                    forwardStray(response);
                }
            }
        } catch (RuntimeException | ParseException | InvalidArgumentException e) {
            LOG.warn("Could not relay {} {}: {}", response.getStatusCode(), response.getReasonPhrase(), e.toString(), e);
        }
    }

    private void relay(ProxyTransaction tx, Response response) throws ParseException, InvalidArgumentException {
        int code = response.getStatusCode();
        Destination from = tx.destination();
        if (code == Response.SERVICE_UNAVAILABLE && from.isPairMember()) {
            branchFailed(tx, from, "answered 503", code);
            return;
        }
        if (from.isPairMember()) {
            pairs.memberAnswered(from.member(), code);
        }
        if (code < 200) {
            if (tx.provisionalReceived()) {
                sendCancel(tx);
            }
            if (code == Response.TRYING) {
                return; // 100 is hop by hop
            }
            responses.send(tx.server, upstream(response));
        } else if (tx.claimFinal()) {
            finished(tx);
            responses.send(tx.server, upstream(response));
        } else if (code < 300) {
            // A further 2xx (a forked downstream): every 2xx goes to the caller.
            responses.sendStateless(upstream(response));
        }
    }

    /**
     * The response made ready to go upstream: without this proxy's Via, and a 503 made 500 so that the
     * caller does not try elsewhere. Changed in place, as a stray is: the branch's transaction has
     * matched it and handed it on, and what it may still read of it (the To header, for the ACK to a
     * retransmitted error) is not touched. A copy was a deep clone of every relayed response.
     */
    private static Response upstream(Response response) throws ParseException {
        response.removeFirst(ViaHeader.NAME);
        if (response.getStatusCode() == Response.SERVICE_UNAVAILABLE) {
            response.setStatusCode(Response.SERVER_INTERNAL_ERROR);
            response.setReasonPhrase("Server Internal Error");
        }
        return response;
    }

    private static boolean isInviteResponse(Response response) {
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        return cseq != null && Request.INVITE.equals(cseq.getMethod());
    }

    /** A response no transaction knows (a 2xx retransmission): forwarded statelessly if its top Via is ours. */
    private void forwardStray(Response response) {
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || !forwarder.isThisProxy(top.getHost(), top.getPort())) {
            return;
        }
        response.removeFirst(ViaHeader.NAME);
        if (response.getHeader(ViaHeader.NAME) != null) {
            responses.sendStateless(response);
        }
    }

    /**
     * The proxied request a transaction belongs to. One proxied by an earlier revision of this bundle
     * (after a bundle update) carries an object of the old revision's class: it is taken over through
     * its {@link ProxyContext} view, once, and the transactions then carry the new object.
     */
    private ProxyTransaction contextOf(Object applicationData) {
        if (applicationData instanceof ProxyTransaction tx) {
            return tx;
        }
        if (!(applicationData instanceof ProxyContext earlier)) {
            return null;
        }
        ServerTransaction server = earlier.serverTransaction();
        synchronized (server) {
            if (server.getApplicationData() instanceof ProxyTransaction already) {
                return already;
            }
            Request request = server.getRequest();
            boolean invite = Request.INVITE.equals(request.getMethod());
            ClientTransaction client = earlier.currentBranch();
            ProxyTransaction tx = ProxyTransaction.takenOver(earlier, client == null ? null : destinationOf(client),
                    invite ? cancelKey(request) : null);
            server.setApplicationData(tx);
            if (client != null) {
                client.setApplicationData(tx);
            }
            if (invite && !tx.finalResponseSent()) {
                openInvites.putIfAbsent(tx.cancelKey, tx);
            }
            if (tookOverAny.compareAndSet(false, true)) {
                LOG.info("Taking over the requests in progress from an earlier start of the proxy core (a bundle update)");
            }
            LOG.debug("Took over {} {} from an earlier start of the proxy core", request.getMethod(), request.getRequestURI());
            return tx;
        }
    }

    /** Where a branch went, read back from its request (the hop the forwarder attached), with the pair member there. */
    private Destination destinationOf(ClientTransaction client) {
        if (((SIPMessage) client.getRequest()).getApplicationData() instanceof Hop hop) {
            SipTransportType transportType;
            try {
                transportType = SipTransportType.parse(hop.getTransport());
            } catch (IllegalArgumentException e) {
                transportType = SipTransportType.UDP;
            }
            return new Destination(hop.getHost(), hop.getPort(), transportType,
                    pairs.memberAt(hop.getHost(), hop.getPort()).orElse(null));
        }
        // not sent by this proxy's forwarder: its Request-URI, which is not a pair member
        if (client.getRequest().getRequestURI() instanceof SipURI uri) {
            return new Destination(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5060, SipTransportType.UDP, null);
        }
        return new Destination(client.getRequest().getRequestURI().toString(), 5060, SipTransportType.UDP, null);
    }

    // ---- transaction events ---------------------------------------------------------------------

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        ClientTransaction client = event.getClientTransaction();
        ProxyTransaction tx = client == null ? null : contextOf(client.getApplicationData());
        if (tx != null && tx.isCurrent(client)) {
            try {
                Destination d = tx.destination();
                long sent = tx.branchStartedMillis();
                if (d.isPairMember() && (transport.behindSince(sent)
                        || pairs.answeredSince(d.member(), sent + settings.failoverTimerMillis() / 2))) {
                    // This proxy was behind meanwhile (its answer may have been dropped unprocessed), or the
                    // member answered other requests while this one went unanswered: this one was lost
                    // (so may the network lose one, or the member lose this call), not the member. No
                    // failover for it; a member that dies is found by the failover timer of the next
                    // requests and by the OPTIONS probes.
                    LOG.debug("{} to {} got no answer, but this proxy was behind or the member answers others: 408 for this one only",
                            tx.template.getMethod(), d.member());
                    answerFinal(tx, Response.REQUEST_TIMEOUT);
                    return;
                }
                branchFailed(tx, d, "no answer", Response.REQUEST_TIMEOUT);
            } catch (ParseException | InvalidArgumentException | RuntimeException e) {
                LOG.warn("Could not answer a timed-out {}: {}", tx.template.getMethod(), e.toString());
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.debug("Transport error towards {}:{} ({})", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        if (event.isServerTransaction() && event.getServerTransaction().getApplicationData() instanceof ProxyTransaction tx) {
            finished(tx);
        }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // no dialogs in a proxy
    }

    // ---- statistics ------------------------------------------------------------------------------

    @Override
    public Map<String, Long> requestsReceived() {
        return counters.requestsReceived();
    }

    @Override
    public Map<String, Long> responsesSent() {
        return counters.responsesSent();
    }

    @Override
    public long callsInProgress() {
        return counters.callsInProgress();
    }

    @Override
    public Map<Integer, Long> rejections() {
        return counters.rejections();
    }

    @Override
    public long failovers() {
        return counters.failovers();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * A final response went upstream: the INVITE is no longer open to a CANCEL (a late CANCEL gets
     * 481), and the proxy keeps nothing of it (the stack does not always report the end of a
     * server transaction, so this is where the entry must go).
     */
    private void finished(ProxyTransaction tx) {
        // A pending timer would hold the context, its copy of the request and the branch for the rest
        // of its wait (a second by default): long enough to outlive young collections at any rate.
        tx.cancelFailoverTimer();
        if (tx.cancelKey != null) {
            openInvites.remove(tx.cancelKey, tx);
        }
        // The stack keeps a completed transaction for up to 64*T1 (32 s over UDP) to absorb
        // retransmissions; it needs nothing of this context for that. Unlinked, the context, its
        // request template and the branch's messages are garbage as soon as the branch ends instead
        // of 32 s later: at 750 calls/s that was most of a 475 MB live heap. A 2xx retransmission
        // that arrives on the branch afterwards is relayed statelessly (processResponse).
        tx.server.setApplicationData(null);
        ClientTransaction branch = tx.client();
        if (branch != null) {
            branch.setApplicationData(null);
        }
    }

    private static ScheduledThreadPoolExecutor failoverTimerThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sip-proxy-failover-timer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** A next hop that is this proxy itself (a Request-URI or Route naming it) would loop. */
    private Destination notToItself(Destination to) throws Rejection {
        if (!to.isPairMember() && forwarder.isThisProxy(to.host(), to.port())) {
            throw new Rejection(Response.LOOP_DETECTED, "the next hop " + to.host() + ":" + to.port() + " is this proxy");
        }
        return to;
    }

    /** The pair member a request came from, judged by its source address and port or its Via port. */
    private Optional<MemberRef> sourceMember(SIPRequest request) {
        String ip = remoteIp(request);
        Optional<MemberRef> member = pairs.memberAt(ip, request.getRemotePort());
        if (member.isEmpty()) {
            ViaHeader via = request.getTopmostVia();
            int viaPort = via.getPort() > 0 ? via.getPort() : 5060;
            if (viaPort != request.getRemotePort()) {
                member = pairs.memberAt(ip, viaPort);
            }
        }
        member.ifPresent(pairs::requestReceivedFrom);
        return member;
    }

    private static String remoteIp(SIPRequest request) {
        InetAddress a = request.getRemoteAddress();
        return a == null ? "127.0.0.1" : a.getHostAddress();
    }

    private static SipTransportType incomingTransport(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        try {
            return SipTransportType.parse(via.getTransport());
        } catch (IllegalArgumentException e) {
            return SipTransportType.UDP;
        }
    }

    private static boolean isNewDialog(Request request) {
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        return to == null || to.getTag() == null;
    }

    private boolean isOptionsForThisProxy(Request copy) {
        return Request.OPTIONS.equals(copy.getMethod())
                && copy.getHeader(RouteHeader.NAME) == null
                && copy.getRequestURI() instanceof SipURI uri
                && uri.getUser() == null
                && forwarder.isThisProxy(uri.getHost(), uri.getPort());
    }

    private void answerOptions(ServerTransaction server, Request request) throws ParseException {
        Response ok = responses.create(Response.OK, request);
        AllowHeader allow = transport.headerFactory().createAllowHeader("INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, PRACK, UPDATE, INFO, SUBSCRIBE, NOTIFY, REFER, MESSAGE");
        ok.addHeader(allow);
        responses.send(server, ok);
    }

    /**
     * What a CANCEL shares with its INVITE: the top Via's branch and sent-by (RFC 3261 section 9.2),
     * or, for RFC 2543 requests without a magic-cookie branch, Call-ID, From tag, CSeq number,
     * Request-URI and top Via.
     */
    static String cancelKey(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        String sentBy = via.getHost() + ":" + via.getPort();
        String branch = via.getBranch();
        if (branch != null && branch.startsWith(Identifiers.MAGIC_COOKIE)) {
            return branch + "|" + sentBy;
        }
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId()
                + "|" + ((FromHeader) request.getHeader(FromHeader.NAME)).getTag()
                + "|" + ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber()
                + "|" + request.getRequestURI() + "|" + sentBy + "|" + branch;
    }
}
