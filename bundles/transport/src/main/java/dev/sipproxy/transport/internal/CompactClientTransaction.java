package dev.sipproxy.transport.internal;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransactionImpl;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPTransactionStack;

import javax.sip.TransactionState;
import javax.sip.message.Request;

/**
 * A client transaction that, once it has its final response, does not encode its request to keep
 * it as bytes, nor parse those bytes back when it ends.
 *
 * <p>When a client transaction is answered the stack (with AGGRESSIVE_CLEANUP) encodes its request
 * into bytes, in case anyone asks for it later. A non-INVITE transaction then drops the parsed
 * request and, when Timer K ends it, parses the bytes back only to drop them again; an INVITE or
 * CANCEL transaction keeps its parsed request anyway (the ACK to a non-2xx is built from it) and the
 * bytes are never read. Per call that is two encodes and one parse for nothing (a BYE and an
 * INVITE): at 2000 calls/s the client transactions' clean-up was 6 % of the CPU samples.
 *
 * <p>Here, for a branch with the RFC 3261 magic cookie (the stack gives one to every client
 * transaction; one without it would be matched on its request, RFC 3261 17.1.3), nothing is encoded:
 * an answered non-INVITE transaction's {@link #getRequest()} returns null, and an INVITE or CANCEL
 * one keeps its parsed request as before. Nothing asks a completed non-INVITE client transaction
 * for its request: retransmitted responses are absorbed by it (RFC 3261 17.1.2.2) and the proxy's
 * routing reads requests only from transactions in progress.
 *
 * <p>An INVITE that a 2xx ended (RFC 3261 17.1.1.2: the transaction is over, on every transport; the ACK and any
 * retransmitted 2xx go end to end) lets go of its request and its response as soon as the 2xx has
 * been handed to the listener, not when the stack next looks at it (its timer ticks every 500 ms)
 * and removes it: by then the messages had outlived several young collections and been copied into
 * the old generation. No ACK will be built from the request: that is done for errors only.
 *
 * <p>Over UDP a non-INVITE transaction does not even stay for Timer K: once the listener has its
 * final response, its key goes to the stack's {@link EndedTransactions}, which absorbs the
 * retransmissions of that response for T4, and the transaction ends at once (its listener is told
 * then). The stack's Timer K task would have held the whole transaction for those 5 s.
 *
 * <p>The stack cleans a transaction up from its message threads and from its timer threads, and its
 * clean-up reads the request field twice (is it there, then use it): when another thread let go of
 * the request in between, that was a NullPointerException (seen over TCP at 1500 calls/s). The
 * clean-ups here hold the transaction's monitor.
 */
final class CompactClientTransaction extends SIPClientTransactionImpl {

    /** Stands in for the encoded request while the stack cleans up, so that it does not encode one. */
    private static final byte[] NOT_KEPT = new byte[0];

    private volatile boolean released;
    /** The thread handing this transaction its final response, while the stack's Timer K waits for it to finish. */
    private volatile Thread endingAtOnce;
    /** Whether the stack ran its Timer K (set to 0) while {@link #endingAtOnce} was at work. */
    private boolean timerKDeferred;

    CompactClientTransaction(SIPTransactionStack stack, MessageChannel channel) {
        super(stack, channel);
    }

    @Override
    public void processResponse(SIPResponse response, MessageChannel channel) {
        super.processResponse(response, channel);
        if (response.getStatusCode() / 100 == 2) {
            releaseInviteEndedBy2xx();
        }
    }

    /**
     * A final response that ends a non-INVITE transaction over UDP. With Timer K set to 0 the stack
     * runs its Timer K task at once, before its listener has the response; here that task waits
     * until the stack is done with the response, and then the transaction ends, its key kept apart.
     */
    @Override
    public synchronized void processResponse(SIPResponse response, MessageChannel channel, SIPDialog dialog) {
        EndedTransactions ended = endsAtOnceWith(response);
        if (ended == null) {
            super.processResponse(response, channel, dialog);
            return;
        }
        timerK = 0;
        endingAtOnce = Thread.currentThread();
        try {
            super.processResponse(response, channel, dialog);
        } finally {
            endingAtOnce = null;
        }
        if (timerKDeferred) {
            timerKDeferred = false;
            // kept apart before the stack lets go, so that a retransmission finds one or the other
            ended.add(getTransactionId());
            super.fireTimeoutTimer();
            super.cleanUpOnTerminated();
        }
    }

    /**
     * The stack's table of ended transactions, when {@code response} is the first final response of a
     * non-INVITE transaction over UDP with an RFC 3261 branch; otherwise null.
     */
    private EndedTransactions endsAtOnceWith(SIPResponse response) {
        TransactionState state = getState();
        // lets go of its request (which also rules out a null method) before isInviteTransaction reads it
        if (response.getStatusCode() < 200 || isReliable() || !letsGoOfItsRequest() || isInviteTransaction()
                || (state != TransactionState.TRYING && state != TransactionState.PROCEEDING)
                || !(sipStack instanceof BranchMatchingSipStack stack)) {
            return null;
        }
        return stack.endedClientTransactions();
    }

    @Override
    public void fireTimeoutTimer() {
        if (endingAtOnce == Thread.currentThread()) {
            timerKDeferred = true;
            return;
        }
        super.fireTimeoutTimer();
    }

    @Override
    protected void cleanUpOnTerminated() {
        if (endingAtOnce == Thread.currentThread()) {
            return;
        }
        super.cleanUpOnTerminated();
    }

    private synchronized void releaseInviteEndedBy2xx() {
        if (released || originalRequest == null || !isInviteTransaction()
                || getState() != TransactionState.TERMINATED || !releasable()) {
            return;
        }
        originalRequest = null;
        // the stack's own release of the last request and response; marks the transaction released last
        cleanUpOnTimer();
    }

    @Override
    protected synchronized void cleanUpOnTimer() {
        boolean release = standInIfReleasable();
        super.cleanUpOnTimer();
        afterCleanUp(release);
    }

    @Override
    public synchronized void cleanUp() {
        boolean release = standInIfReleasable();
        super.cleanUp();
        afterCleanUp(release);
    }

    /**
     * Decides, when the stack first cleans up an answered transaction, to keep no bytes (and keeps to
     * it), and puts the stand-in where the stack looks for bytes before it would encode the request.
     */
    private boolean standInIfReleasable() {
        boolean release = released || releasable();
        if (release && originalRequestBytes == null) {
            originalRequestBytes = NOT_KEPT;
        }
        return release;
    }

    private void afterCleanUp(boolean release) {
        dropStandIn();
        if (release) {
            released = true;
        }
    }

    /**
     * The stand-in must never be parsed: once the stack has let go of the parsed request (a
     * non-INVITE's at once, an INVITE's when it leaves the stack), there are no bytes either. While
     * an INVITE keeps its parsed request the stand-in stays, so that nothing encodes it.
     */
    private void dropStandIn() {
        if (originalRequestBytes == NOT_KEPT && originalRequest == null) {
            originalRequestBytes = null;
        }
    }

    /**
     * Answered, RFC 3261 branch, and the stack set to release references by encoding them. Over TCP
     * and TLS too (there Timer K is zero and the stack parsed the bytes back at once, 6 % of the
     * proxy's CPU samples over TCP at 1000 calls/s): the connection's fate does not depend on the
     * request (the stack counts its users down or keeps it, as before).
     */
    private boolean releasable() {
        TransactionState state = getState();
        return (state == TransactionState.COMPLETED || state == TransactionState.TERMINATED) && letsGoOfItsRequest();
    }

    /** RFC 3261 branch, a method that has a transaction, and the stack set to release references by encoding them. */
    private boolean letsGoOfItsRequest() {
        String method = getMethod();
        return getReleaseReferencesStrategy() == ReleaseReferencesStrategy.Normal
                && Branches.hasMagicCookie(getBranch())
                && method != null && !Request.ACK.equals(method);
    }

    /** Whether the stack holds the request encoded as bytes (for tests). */
    boolean holdsRequestBytes() {
        byte[] bytes = originalRequestBytes;
        return bytes != null && bytes != NOT_KEPT;
    }

    boolean released() {
        return released;
    }
}
