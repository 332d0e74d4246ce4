package dev.sipproxy.transport.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.ServerResponseInterface;

import java.util.Properties;

import javax.sip.PeerUnavailableException;

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
 */
final class BranchMatchingSipStack extends SipStackImpl {

    BranchMatchingSipStack(Properties properties) throws PeerUnavailableException {
        super(properties);
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
            return sipMessageFactory.newSIPServerResponse(response, channel);
        }
        return super.newSIPServerResponse(response, channel);
    }
}
