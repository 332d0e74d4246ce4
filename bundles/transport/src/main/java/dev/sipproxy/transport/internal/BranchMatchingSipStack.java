package dev.sipproxy.transport.internal;

import gov.nist.core.CommonLogger;
import gov.nist.core.StackLogger;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.HopImpl;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.ServerRequestInterface;
import gov.nist.javax.sip.stack.ServerResponseInterface;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Properties;

import javax.sip.PeerUnavailableException;
import javax.sip.address.Hop;
import javax.sip.message.Request;

/**
 * The JAIN-SIP stack, with two changes: how a received response finds its client transaction, and
 * transactions that keep less once they are answered ({@link CompactServerTransaction},
 * {@link CompactClientTransaction}).
 *
 * <p>When no client transaction is stored under a response's key, the stack walks every client
 * transaction it holds and asks each whether the response is its own: a cost that grows with the
 * load (thousands of transactions at 1000 calls/s), paid for every stray response (a retransmitted
 * 2xx, a response after its transaction timed out). Under overload those multiply: the walks were a
 * sixth of the CPU samples at 1000 calls/s, just when the proxy had no CPU to spare. The check
 * below repeats the stack's own key lookup (one hash lookup) to decide before the walk. The walk
 * exists for RFC 2543 peers; for a branch with the RFC 3261 magic cookie the key lookup is the
 * whole of the matching rule (section 17.1.3: the branch, and the CSeq method, which the key
 * carries for CANCEL), so a miss is final and the response goes straight on as a stray one.
 *
 * <p>A non-INVITE server transaction over UDP hands its final answer over to {@link AnsweredRequests}
 * and ends at once; a retransmission of its request is answered from there, before the stack would
 * look for (and, not finding one, create) a transaction. A non-INVITE client transaction over UDP
 * leaves its key in {@link EndedTransactions} and ends once it has its final response; a
 * retransmission of that response finds the key there and is dropped, not forwarded as a stray one.
 * An INVITE server transaction over UDP that sent a 2xx leaves its key in another such table, where
 * retransmissions of the INVITE are absorbed for Timer L.
 */
final class BranchMatchingSipStack extends SipStackImpl {
    private static final StackLogger LOGGER = CommonLogger.getLogger(BranchMatchingSipStack.class);
    /** Timer J over UDP, 64*T1 (RFC 3261 17.2.2). */
    static final long TIMER_J_MILLIS = SIPTransaction.TIMER_J * (long) BASE_TIMER_INTERVAL;
    /** Timer K over UDP, T4 as the stack has it (RFC 3261 17.1.2.2). */
    static final long TIMER_K_MILLIS = 5000;
    /** Timer L over UDP, 64*T1 (RFC 6026 17.2.1): how long an INVITE answered 2xx absorbs its retransmissions. */
    static final long TIMER_L_MILLIS = 64L * BASE_TIMER_INTERVAL;
    /** Stands for an answered retransmission: the stack has nothing more to do with it. */
    private static final ServerRequestInterface ANSWERED = (request, channel) -> { };
    /** Stands for an absorbed retransmission of a final response: nothing more to do with it either. */
    private static final ServerResponseInterface ABSORBED = new ServerResponseInterface() {
        @Override
        public void processResponse(SIPResponse response, MessageChannel channel, SIPDialog dialog) {
        }

        @Override
        public void processResponse(SIPResponse response, MessageChannel channel) {
        }
    };

    private final AnsweredRequests answered;
    private final EndedTransactions endedClients;
    private final EndedTransactions acceptedInvites;

    BranchMatchingSipStack(Properties properties) throws PeerUnavailableException {
        super(properties);
        answered = new AnsweredRequests(TIMER_J_MILLIS, Math.max(100, serverTransactionTableHighwaterMark),
                System::currentTimeMillis);
        endedClients = new EndedTransactions(TIMER_K_MILLIS, Math.max(100, clientTransactionTableHiwaterMark),
                System::currentTimeMillis);
        acceptedInvites = new EndedTransactions(TIMER_L_MILLIS, Math.max(100, serverTransactionTableHighwaterMark),
                System::currentTimeMillis);
    }

    /** The answers of ended non-INVITE server transactions over UDP, kept for Timer J. */
    AnsweredRequests answeredRequests() {
        return answered;
    }

    /** The keys of ended non-INVITE client transactions over UDP, kept for Timer K. */
    EndedTransactions endedClientTransactions() {
        return endedClients;
    }

    /** The keys of INVITE server transactions over UDP that a 2xx ended, kept for Timer L. */
    EndedTransactions acceptedInvites() {
        return acceptedInvites;
    }

    @Override
    public ServerRequestInterface newSIPServerRequest(SIPRequest request, MessageChannel channel) {
        if (isAcceptedInviteAgain(request)) {
            return ANSWERED;
        }
        AnsweredRequests.Answer answer = answerFor(request, channel);
        if (answer == null) {
            return super.newSIPServerRequest(request, channel);
        }
        sendAgain(answer);
        return ANSWERED;
    }

    /**
     * A retransmission of an INVITE whose transaction a 2xx ended: absorbed (RFC 6026 17.2.1, the
     * Accepted state), not forwarded again. Its ACK, which has a branch of its own, is not.
     */
    private boolean isAcceptedInviteAgain(SIPRequest request) {
        if (acceptedInvites.isEmpty() || !sipMessageValves.isEmpty() || !Request.INVITE.equals(request.getMethod())) {
            return false;
        }
        String key = request.getTransactionId();
        return Branches.hasMagicCookie(key) && acceptedInvites.absorbs(key) && findTransaction(key, true) == null;
    }

    /** The kept answer to a retransmitted non-INVITE request over UDP, or null. */
    private AnsweredRequests.Answer answerFor(SIPRequest request, MessageChannel channel) {
        String method = request.getMethod();
        if (answered.isEmpty() || !sipMessageValves.isEmpty() || !AnsweredRequests.keepsAnswersTo(method)) {
            return null;
        }
        Via via = request.getTopmostVia();
        if (via == null || !Branches.hasMagicCookie(via.getBranch())) {
            return null;
        }
        String key = request.getTransactionId();
        AnsweredRequests.Answer answer = answered.find(key);
        if (answer == null || !answer.transport().equalsIgnoreCase(channel.getTransport())
                || !answer.matches(method, via.getHost(), via.getPort())
                || findTransaction(key, true) != null) {
            return null;
        }
        return answer;
    }

    /** As the stack's own transaction sends its last response again over UDP: to the recorded hop. */
    private void sendAgain(AnsweredRequests.Answer answer) {
        try {
            Hop hop = getAddressResolver().resolveAddress(new HopImpl(answer.host(), answer.port(), answer.transport()));
            answer.origin().sendDatagram(answer.response(), InetAddress.getByName(hop.getHost()),
                    hop.getPort());
        } catch (IOException | RuntimeException e) {
            LOGGER.logWarning("Could not answer a retransmitted " + answer.method() + " again towards "
                    + answer.host() + ":" + answer.port() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The stack's own rule, with its own table limits (MAX_SERVER_TRANSACTIONS: above the low-water
     * mark a new transaction is refused with a probability that grows to 1 at the high-water mark),
     * creating a {@link CompactServerTransaction}.
     */
    @Override
    public SIPServerTransaction createServerTransaction(MessageChannel channel) {
        if (!unlimitedServerTransactionTableSize) {
            float fill = (float) (serverTransactionTable.size() - serverTransactionTableLowaterMark)
                    / (serverTransactionTableHighwaterMark - serverTransactionTableLowaterMark);
            if (Math.random() > 1 - fill) {
                return null;
            }
        }
        return new CompactServerTransaction(this, channel);
    }

    /** The stack's own rule (no table limit for client transactions), creating a {@link CompactClientTransaction}. */
    @Override
    public SIPClientTransaction createClientTransaction(SIPRequest request, MessageChannel channel) {
        SIPClientTransaction transaction = new CompactClientTransaction(this, channel);
        transaction.setOriginalRequest(request);
        return transaction;
    }

    /** CACHE_SERVER_CONNECTIONS: an ended server transaction leaves its TCP or TLS connection open. */
    boolean keepsServerConnections() {
        return cacheServerConnections;
    }

    @Override
    public ServerResponseInterface newSIPServerResponse(SIPResponse response, MessageChannel channel) {
        String key = response.getTransactionId();
        if (sipMessageValves.isEmpty() && Branches.hasMagicCookie(key)
                && findTransaction(key, false) == null) {
            return endedClients.absorbs(key) ? ABSORBED : sipMessageFactory.newSIPServerResponse(response, channel);
        }
        return super.newSIPServerResponse(response, channel);
    }
}
