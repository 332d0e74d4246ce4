package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.SipTransportType;

import java.util.concurrent.CompletableFuture;

import org.junit.Test;

public class ProxyTransactionTest {
    private static final Destination PRIMARY =
            new Destination("10.0.0.1", 5060, SipTransportType.UDP, new MemberRef("A", MemberRole.PRIMARY));

    private final ProxyTransaction tx = new ProxyTransaction(null, Sip.invite("sip:bob@example.com"), "key");

    @Test
    public void firstSilentAttemptMayBeRetriedOnce() {
        tx.branchStarted(null, PRIMARY);
        assertTrue(tx.mayRetry());
        tx.branchStarted(null, PRIMARY);
        assertEquals(2, tx.attempts());
        assertFalse(tx.mayRetry());
    }

    @Test
    public void noRetryAfterAProvisionalResponse() {
        tx.branchStarted(null, PRIMARY);
        assertFalse(tx.provisionalReceived());
        assertFalse(tx.mayRetry());
    }

    @Test
    public void noRetryAfterCancelOrFinal() {
        tx.branchStarted(null, PRIMARY);
        tx.cancel();
        assertFalse(tx.mayRetry());

        ProxyTransaction other = new ProxyTransaction(null, Sip.invite("sip:bob@example.com"), "key2");
        other.branchStarted(null, PRIMARY);
        assertTrue(other.claimFinal());
        assertFalse(other.mayRetry());
    }

    @Test
    public void cancelBeforeAnyProvisionalWaitsForIt() {
        tx.branchStarted(null, PRIMARY);
        assertFalse(tx.cancel()); // nothing to CANCEL downstream yet (RFC 3261 9.1)
        assertTrue(tx.cancelRequested());
        assertTrue(tx.provisionalReceived()); // now the CANCEL goes
        assertFalse(tx.provisionalReceived()); // only once
    }

    @Test
    public void cancelAfterProvisionalGoesAtOnceAndOnlyOnce() {
        tx.branchStarted(null, PRIMARY);
        tx.provisionalReceived();
        assertTrue(tx.cancel());
        assertFalse(tx.cancel());
    }

    @Test
    public void cancelAfterFinalDoesNothing() {
        tx.branchStarted(null, PRIMARY);
        assertTrue(tx.claimFinal());
        assertFalse(tx.claimFinal());
        assertFalse(tx.cancel());
    }

    @Test
    public void aFinishedRequestsFailoverTimerIsCancelledSoItLetsGoOfTheContext() {
        CompletableFuture<Void> timer = new CompletableFuture<>();
        tx.failoverTimerArmed(timer);
        assertFalse(timer.isCancelled());
        tx.claimFinal();
        tx.cancelFailoverTimer();
        assertTrue(timer.isCancelled());
    }

    @Test
    public void aTimerArmedAfterTheFinalResponseIsCancelledAtOnce() {
        // a fast next hop: the 200 was relayed before the forwarding thread armed the timer
        tx.claimFinal();
        CompletableFuture<Void> timer = new CompletableFuture<>();
        tx.failoverTimerArmed(timer);
        assertTrue(timer.isCancelled());
    }

    @Test
    public void aTimerReplacedByTheNextBranchsTimerIsCancelled() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        tx.failoverTimerArmed(first);
        tx.failoverTimerArmed(second);
        assertTrue(first.isCancelled());
        assertFalse(second.isCancelled());
    }
}
