package dev.sipproxy.routing.internal;

import dev.sipproxy.api.transport.ProxyContext;

import java.util.concurrent.Future;

import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/**
 * The response context of one proxied request (RFC 3261 section 16): the server transaction towards
 * the caller, the current branch towards the next hop, and what has happened so far. The proxy
 * forwards to one branch at a time; a failed pair member may be replaced by the other member once.
 * All transitions are synchronized: responses, timeouts and a CANCEL arrive on different threads.
 * <p>
 * Seen as a {@link ProxyContext}, it can be taken over by a later revision of the routing bundle.
 */
final class ProxyTransaction implements ProxyContext {
    final ServerTransaction server;
    /**
     * The request as it goes downstream: the first branch sends it, with its Via on top; a retry
     * starts from a copy without that Via.
     */
    final Request template;
    /** Key under which a CANCEL finds this INVITE; null for other methods. */
    final String cancelKey;

    /** The request's loop-detection hash, ending the branch of every Via this proxy adds for it. */
    volatile String loopHash;

    private ClientTransaction client;
    private Destination destination;
    private boolean provisionalSeen;
    private boolean cancelRequested;
    private boolean finalSent;
    private int attempts;
    private boolean templateSent;
    private long branchStartedMillis;
    /** The current branch's pending failover timer, if any. */
    private Future<?> failoverTimer;
    /** False for a request taken over from an earlier core: its pristine template is gone, so no retry. */
    private final boolean retryable;

    ProxyTransaction(ServerTransaction server, Request template, String cancelKey) {
        this(server, template, cancelKey, true);
    }

    private ProxyTransaction(ServerTransaction server, Request template, String cancelKey, boolean retryable) {
        this.server = server;
        this.template = template;
        this.cancelKey = cancelKey;
        this.retryable = retryable;
    }

    /**
     * A request an earlier revision of the core proxied, taken over with what it had seen: its
     * responses still reach the caller, a CANCEL still reaches its branch, but it is not retried.
     */
    static ProxyTransaction takenOver(ProxyContext earlier, Destination destination, String cancelKey) {
        ProxyTransaction tx = new ProxyTransaction(earlier.serverTransaction(), earlier.serverTransaction().getRequest(),
                cancelKey, false);
        synchronized (tx) {
            tx.client = earlier.currentBranch();
            tx.destination = destination;
            tx.attempts = 1;
            tx.provisionalSeen = earlier.provisionalSeen();
            tx.cancelRequested = earlier.cancelRequested();
            tx.finalSent = earlier.finalResponseSent();
        }
        return tx;
    }

    @Override
    public ServerTransaction serverTransaction() {
        return server;
    }

    @Override
    public synchronized ClientTransaction currentBranch() {
        return client;
    }

    @Override
    public synchronized boolean finalResponseSent() {
        return finalSent;
    }

    synchronized void branchStarted(ClientTransaction client, Destination destination) {
        this.client = client;
        this.destination = destination;
        this.attempts++;
        this.branchStartedMillis = System.currentTimeMillis();
    }

    /** The template went out as the first branch, with that branch's Via on top. */
    synchronized void templateSent() {
        templateSent = true;
    }

    synchronized boolean wasTemplateSent() {
        return templateSent;
    }

    /** When the current branch was sent (wall clock). */
    synchronized long branchStartedMillis() {
        return branchStartedMillis;
    }

    synchronized boolean isCurrent(ClientTransaction ct) {
        return client == ct;
    }

    synchronized ClientTransaction client() {
        return client;
    }

    synchronized Destination destination() {
        return destination;
    }

    synchronized int attempts() {
        return attempts;
    }

    /** Records a provisional response; true if a CANCEL is waiting for it and must now go downstream. */
    synchronized boolean provisionalReceived() {
        boolean first = !provisionalSeen;
        provisionalSeen = true;
        return first && cancelRequested && !finalSent;
    }

    @Override
    public synchronized boolean provisionalSeen() {
        return provisionalSeen;
    }

    /** The caller cancelled; true if the branch has had a provisional response, so a CANCEL can go now. */
    synchronized boolean cancel() {
        if (finalSent || cancelRequested) {
            return false;
        }
        cancelRequested = true;
        return provisionalSeen;
    }

    @Override
    public synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    /**
     * Keeps the branch's failover timer to cancel it when the request finishes; cancelled at once
     * if it already has. The timer holds this context (with its copy of the request) until it fires.
     * A timer it replaces (the branch failed and a retry went out, or the timer armed itself again)
     * is cancelled: it would only find its branch no longer current.
     */
    synchronized void failoverTimerArmed(Future<?> timer) {
        cancelFailoverTimer();
        if (finalSent) {
            timer.cancel(false);
        } else {
            failoverTimer = timer;
        }
    }

    /** Cancels the pending failover timer, if any: nothing is left to fail over. */
    synchronized void cancelFailoverTimer() {
        if (failoverTimer != null) {
            failoverTimer.cancel(false);
            failoverTimer = null;
        }
    }

    /** Claims the right to send the final response; false if one was sent already. */
    synchronized boolean claimFinal() {
        if (finalSent) {
            return false;
        }
        finalSent = true;
        return true;
    }

    /**
     * True if the request may be retried on another member after its branch failed: nothing final
     * went upstream, the caller did not cancel, the failed branch never answered provisionally, and
     * it is the first attempt.
     */
    synchronized boolean mayRetry() {
        return retryable && !finalSent && !cancelRequested && !provisionalSeen && attempts == 1;
    }
}
