package dev.sipproxy.transport.internal;

import dev.sipproxy.jainsip.net.DatagramSender;

import java.util.function.LongSupplier;

import javax.sip.message.Request;

/**
 * The answers of non-INVITE server transactions over UDP, kept for Timer J (64*T1, RFC 3261 17.2.2)
 * in place of the transactions themselves.
 *
 * <p>In the Completed state such a transaction only has to send its final response again whenever
 * its request is retransmitted. The stack kept a whole transaction object for that (locks, timer
 * entry, listener set, parsed headers: about 1.9 KB at 1000 calls/s, 32000 BYE transactions at any
 * time, the largest part of the proxy's live heap). An entry here keeps the key, the sent-by the
 * match needs, the response's bytes and where they went: a third of that.
 *
 * <p>Past its bound the oldest answers go first; a late retransmission then starts a new
 * transaction, as it would after Timer J.
 */
final class AnsweredRequests extends ExpiringTable<AnsweredRequests.Answer> {

    /** What a retransmission of the request is answered with, and the request's identity to match it. */
    record Answer(String key, String method, String sentByHost, int sentByPort, byte[] response, String host,
                  int port, String transport, DatagramSender origin, long expiresAt)
            implements ExpiringTable.Entry {

        /** RFC 3261 17.2.3: the same branch (the key), the same sent-by, the same method. */
        boolean matches(String method, String sentByHost, int sentByPort) {
            return this.method.equals(method) && this.sentByPort == sentByPort
                    && this.sentByHost.equalsIgnoreCase(sentByHost);
        }
    }

    AnsweredRequests(long lifetimeMillis, int maxEntries, LongSupplier clock) {
        super(lifetimeMillis, maxEntries, clock);
    }

    /**
     * Whether the table keeps the answers to {@code method}: every non-INVITE method but CANCEL (an
     * INVITE's and a CANCEL's transactions are matched by the ACK and the CANCEL, and ACK has none).
     */
    static boolean keepsAnswersTo(String method) {
        return method != null && !Request.INVITE.equals(method) && !Request.CANCEL.equals(method)
                && !Request.ACK.equals(method);
    }
}
