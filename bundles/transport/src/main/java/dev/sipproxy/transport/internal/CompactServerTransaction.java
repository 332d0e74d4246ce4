package dev.sipproxy.transport.internal;

import dev.sipproxy.jainsip.net.DatagramSender;
import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransactionImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.timers.SipTimer;

import javax.sip.SipException;
import javax.sip.TransactionState;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A server transaction that, once it has answered a non-INVITE request, keeps only what the rest of
 * its life needs, and does not encode or parse its request for nothing.
 *
 * <p>Such a transaction stays in the Completed state for Timer J, 64*T1 = 32 s (RFC 3261 17.2.2), to
 * answer retransmissions of the request with its last response: at 1000 calls/s that is 32000 BYE
 * transactions at any time, the largest part of the proxy's live heap, and so of the GC's work. For
 * that the stack needs the branch and sent-by (kept apart from the request) and the last response as
 * bytes. It also kept the request encoded as bytes (to parse back if anyone asked for it) and a
 * merge key (used for INVITEs only), and parsed the bytes back once more when Timer J ended. Here,
 * when the branch carries the RFC 3261 magic cookie (an RFC 2543 request is matched on its whole
 * content and keeps it), the request is neither encoded nor kept, and the end of the transaction does
 * not parse anything: {@link #getRequest()} returns null from the Completed state on. The proxy's
 * routing keeps its own copy of each request it forwards and never asks.
 *
 * <p>Over UDP it does not even stay for Timer J: its final answer goes to the stack's
 * {@link AnsweredRequests}, which answers the retransmissions of the request with the same bytes for
 * 64*T1, and the transaction ends at once (its listener is told then). What stays is a third of what
 * the transaction kept, and there is no timer per transaction to run.
 *
 * <p>Over TCP or TLS, Timer J is zero: the transaction ends as soon as it has answered, and the
 * stack's clean-up encoded the request into bytes and parsed them straight back, only to read the
 * merge key (an INVITE's) and drop the request: 9 % of the proxy's CPU samples over TCP at 1000
 * calls/s. The same release applies there, as long as the stack keeps server connections open
 * (CACHE_SERVER_CONNECTIONS, the proxy's setting): otherwise its clean-up also counts the
 * connection's users down to close it, which is out of reach here, and the stack's own clean-up runs.
 *
 * <p>An answered INVITE (or CANCEL) keeps its parsed request, as the stack has it; only the bytes the
 * stack would also encode from it, which nothing reads, are not made. An INVITE that a 2xx
 * ended (RFC 3261 17.2.1: the transaction is over once the 2xx is sent, on every transport; the ACK and any
 * retransmitted 2xx go end to end) lets go of its request and its response as soon as the 2xx has
 * gone, not when the stack next looks at it (its timer ticks every 500 ms) and removes it: by then
 * the messages had outlived several young collections and been copied into the old generation.
 * The transaction itself leaves the stack then too (see {@link #startTransactionTimer}).
 * Over UDP its key goes to the stack's accepted INVITEs ({@link EndedTransactions}), which absorb
 * retransmissions of the INVITE for Timer L (RFC 6026) after the stack has removed the transaction.
 *
 * <p>The stack cleans a transaction up from its message threads and from its timer threads, and its
 * clean-up reads the request field twice (is it there, then use it): when another thread let go of
 * the request in between, that was a NullPointerException (seen over TCP at 1500 calls/s). The
 * clean-ups here hold the transaction's monitor.
 */
final class CompactServerTransaction extends SIPServerTransactionImpl {

    /** Stands in for the encoded request while the stack releases it, so that it does not encode one. */
    private static final byte[] NOT_KEPT = new byte[0];

    private volatile boolean requestReleased;
    /** This transaction's periodic timer, while it has one ({@link #startTransactionTimer}). */
    private volatile Ticker ticker;

    CompactServerTransaction(SIPTransactionStack stack, MessageChannel channel) {
        super(stack, channel);
    }

    @Override
    public void sendResponse(Response response) throws SipException {
        AnsweredRequests answers = answersKeptApart(response);
        if (answers == null) {
            super.sendResponse(response);
            if (response.getStatusCode() / 100 == 2) {
                releaseInviteEndedBy2xx();
            }
            return;
        }
        // read before the stack lets the request go
        Via via = originalRequest == null ? null : originalRequest.getTopmostVia();
        boolean handedOver = false;
        try {
            super.sendResponse(response);
            handedOver = via != null && handOverAnswer(answers, via.getHost(), via.getPort());
        } finally {
            if (!handedOver) {
                transactionTimerStarted.set(false);
                startTimerAsTheStackWould();
            }
        }
    }

    /**
     * The table that takes over this transaction's answer, when this response is the final answer to
     * a non-INVITE request over UDP with an RFC 3261 branch: then the transaction ends as soon as it
     * has sent it, and the table answers the retransmissions for Timer J. The stack's Timer J is not
     * started for it (this claims the transaction's one timer start).
     */
    private AnsweredRequests answersKeptApart(Response response) {
        String method = getMethod();
        TransactionState state = getState();
        if (response.getStatusCode() < 200 || isReliable() || !LastResponse.AVAILABLE
                || !AnsweredRequests.keepsAnswersTo(method) || !Branches.hasMagicCookie(getBranch())
                || (state != TransactionState.TRYING && state != TransactionState.PROCEEDING)
                || !(sipStack instanceof BranchMatchingSipStack stack) || !(getMessageProcessor() instanceof DatagramSender)) {
            return null;
        }
        return transactionTimerStarted.compareAndSet(false, true) ? stack.answeredRequests() : null;
    }

    /** Gives the sent answer to the table and ends the transaction; false if there was none to give. */
    private synchronized boolean handOverAnswer(AnsweredRequests answers, String sentByHost, int sentByPort) {
        // answersKeptApart checked that the processor sends datagrams
        DatagramSender origin = (DatagramSender) getMessageProcessor();
        byte[] bytes = LastResponse.bytes(this);
        String host = LastResponse.host(this);
        String transport = LastResponse.transport(this);
        if (getState() != TransactionState.COMPLETED || bytes == null || host == null || transport == null
                || sentByHost == null) {
            return false;
        }
        // the response usually goes back to the sent-by host: one string for both, kept 32 s
        String to = host.equals(sentByHost) ? sentByHost : host;
        String method = Request.BYE.equals(getMethod()) ? Request.BYE : getMethod();
        answers.add(new AnsweredRequests.Answer(getTransactionId(), method, sentByHost, sentByPort, bytes, to,
                LastResponse.port(this), transport, origin, answers.expiryOfNew()));
        setState(TransactionState._TERMINATED);
        cleanUp();
        return true;
    }

    /** What the stack starts after a response when no answer was handed over (a send that failed). */
    private void startTimerAsTheStackWould() {
        TransactionState state = getState();
        if (state == TransactionState.COMPLETED) {
            startTransactionTimerJ(TIMER_J);
        } else if (state == TransactionState.TERMINATED) {
            startTransactionTimerJ(0);
        } else {
            startTransactionTimer();
        }
    }

    /**
     * What stays is what the stack's matching and removal read: the branch, the sent-by and the
     * method. A retransmitted INVITE that reaches the transaction finds it ended, as before.
     */
    private synchronized void releaseInviteEndedBy2xx() {
        SIPRequest request = originalRequest;
        if (request == null || !isInviteTransaction() || getState() != TransactionState.TERMINATED
                || !answeredWithCookie(TransactionState.TERMINATED)
                || getReleaseReferencesStrategy() != ReleaseReferencesStrategy.Normal) {
            return;
        }
        requestReleased = true;
        originalRequestBytes = null;
        originalRequest = null;
        lastResponse = null;
        if (!isReliable() && sipStack instanceof BranchMatchingSipStack stack) {
            // retransmissions of the INVITE are absorbed there once the stack has let the transaction go
            stack.acceptedInvites().add(getTransactionId());
        }
        // and it leaves the stack now: its timer would have found it ended only at its next look
        Ticker ticker = this.ticker;
        if (ticker != null && sipStack.getTimer() != null && sipStack.getTimer().cancel(ticker)) {
            cleanUp();
        }
    }

    /**
     * As the stack's own: an INVITE, CANCEL or ACK transaction gets a timer that fires every
     * {@code baseTimerInterval} (T1, 500 ms) while it lives. The stack keeps its timer task nowhere
     * it could be cancelled from, so here the transaction keeps its own ({@link Ticker}), to cancel
     * it when a 2xx ends the transaction and the transaction leaves the stack at once. Otherwise the
     * timer held the ended transaction (its locks, channel, listener set: about a kilobyte) until it
     * next fired: at 1500 calls/s some 750 of them at any moment, most copied by every young
     * collection.
     */
    @Override
    public void startTransactionTimer() {
        String method = getMethod();
        if (!Request.INVITE.equalsIgnoreCase(method) && !Request.CANCEL.equalsIgnoreCase(method)
                && !Request.ACK.equalsIgnoreCase(method)) {
            return;
        }
        SipTimer timer = sipStack.getTimer();
        // in the stack's order: the one start is claimed even when there is no timer to start
        if (transactionTimerStarted.compareAndSet(false, true) && timer != null && timer.isStarted()) {
            Ticker t = new Ticker();
            ticker = t;
            timer.scheduleWithFixedDelay(t, baseTimerInterval, baseTimerInterval);
        }
    }

    /** The stack's transaction timer task, as the stack has it, in a field of this transaction. */
    private final class Ticker extends SIPStackTimerTask {
        @Override
        public void runTask() {
            if (isTerminated()) {
                try {
                    sipStack.getTimer().cancel(this);
                } catch (IllegalStateException stopped) {
                    if (!sipStack.isAlive()) {
                        return;
                    }
                }
                lingerThenCleanUp();
            } else {
                fireTimer();
            }
            SIPRequest request = originalRequest;
            if (request != null) {
                request.cleanUp();
            }
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }

    /** The stack lets an ended transaction linger LINGER_TIMER seconds (0 in the proxy's stack) before it cleans up. */
    private void lingerThenCleanUp() {
        int lingerSeconds = sipStack.getConnectionLingerTimer();
        if (lingerSeconds == 0) {
            cleanUp();
            return;
        }
        sipStack.getTimer().schedule(new SIPStackTimerTask() {
            @Override
            public void runTask() {
                cleanUp();
            }

            @Override
            public Object getThreadHash() {
                return null;
            }
        }, lingerSeconds * 1000L);
    }

    /**
     * None: the proxy's stack detects no merged requests (StackProperties), so its merge table stays
     * empty. The stack read the key, when it removed an INVITE transaction, from the request, which
     * may have gone by then.
     */
    @Override
    public String getMergeId() {
        return null;
    }

    @Override
    protected synchronized void cleanUpOnTimer() {
        if (!requestReleased && releasable()) {
            // marked first: from here on no RFC 2543 request is compared with the request that goes
            requestReleased = true;
            if (originalRequestBytes == null) {
                originalRequestBytes = NOT_KEPT;
            }
            super.cleanUpOnTimer();
            originalRequestBytes = null;
            return;
        }
        boolean standIn = standInForKeptRequest();
        super.cleanUpOnTimer();
        dropStandIn(standIn);
    }

    /** Answered, non-INVITE, RFC 3261 branch, and the stack set to release references. */
    private boolean releasable() {
        TransactionState state = getState();
        String method = getMethod();
        return answeredWithCookie(state)
                && getReleaseReferencesStrategy() != ReleaseReferencesStrategy.None
                && method != null && !Request.INVITE.equals(method) && !Request.CANCEL.equals(method)
                && !Request.ACK.equals(method);
    }

    /**
     * An INVITE or CANCEL transaction keeps its parsed request to the end (the stack's rule, on every
     * transport: the ACK and the CANCEL are matched against it), yet when it is answered the stack
     * also encodes it into bytes that nothing reads; a stand-in where it looks for them stops that.
     * Returns whether the stand-in is there, to be taken away once the parsed request is gone.
     */
    private boolean standInForKeptRequest() {
        String method = getMethod();
        if (originalRequestBytes == null && originalRequest != null
                && (Request.INVITE.equals(method) || Request.CANCEL.equals(method))
                && getReleaseReferencesStrategy() == ReleaseReferencesStrategy.Normal) {
            originalRequestBytes = NOT_KEPT;
            return true;
        }
        return originalRequestBytes == NOT_KEPT && !requestReleased;
    }

    /** Once the stack has let go of the parsed request there must be no stand-in to parse back. */
    private void dropStandIn(boolean standIn) {
        if (standIn && originalRequest == null) {
            originalRequestBytes = null;
        }
    }

    private boolean answeredWithCookie(TransactionState state) {
        return (state == TransactionState.COMPLETED || state == TransactionState.TERMINATED)
                && Branches.hasMagicCookie(getBranch()) && (!isReliable() || keepsServerConnections());
    }

    private boolean keepsServerConnections() {
        return sipStack instanceof BranchMatchingSipStack && ((BranchMatchingSipStack) sipStack).keepsServerConnections();
    }

    /**
     * A request without the magic cookie is matched (RFC 3261 17.2.3, the RFC 2543 rules) by comparing
     * it with the transaction's request, which a released transaction no longer has; and it cannot
     * be part of a transaction whose request carried the cookie (their top Vias differ). The stack
     * asks every transaction it holds about such a request, so the answer must be a plain no.
     */
    @Override
    public boolean isMessagePartOfTransaction(SIPMessage message) {
        if (requestReleased) {
            Via top = message.getTopmostVia();
            String branch = top == null ? null : top.getBranch();
            if (!Branches.hasMagicCookie(branch)) {
                return false;
            }
        }
        return super.isMessagePartOfTransaction(message);
    }

    @Override
    public synchronized void cleanUp() {
        if (!requestReleased) {
            boolean standIn = standInForKeptRequest();
            super.cleanUp();
            dropStandIn(standIn);
            return;
        }
        // The stack's clean-up would parse the request back to read its merge key (an INVITE's) and
        // then drop it; all that remains to do is to leave the stack's tables, which also tells the
        // listener that the transaction has ended. UDP has no connection to release; over TCP and TLS
        // the stack keeps it (released only when it caches server connections, see above).
        sipStack.removeTransaction(this);
    }

    /** Whether the stack holds the request encoded as bytes (for tests). */
    boolean holdsRequestBytes() {
        byte[] bytes = originalRequestBytes;
        return bytes != null && bytes != NOT_KEPT;
    }

    boolean requestReleased() {
        return requestReleased;
    }
}
