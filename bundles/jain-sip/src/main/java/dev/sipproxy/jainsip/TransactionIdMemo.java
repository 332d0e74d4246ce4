package dev.sipproxy.jainsip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;

/**
 * A message's transaction id (the stack's {@code getTransactionId()}), remembered with the branch
 * and CSeq method it was made from. The stack asks for it several times per message (to find the
 * transaction, to create it, to map it), and each time upper-cases the branch to look for RFC 3261's
 * magic cookie and lower-cases it into a new string. With the cookie the id is made from the top
 * Via's branch and the CSeq method alone, so it holds as long as those two are the very same
 * strings; a changed top Via (the proxy's own on a forwarded copy) or method makes a new one.
 * Without the cookie the stack's own answer is used every time.
 *
 * <p>Immutable (final fields), so a message may hand one to any thread that reads it without a lock;
 * a clone of the message starts with its original's, which stays right for as long as the clone has
 * the same branch and method.
 */
final class TransactionIdMemo {
    private static final String COOKIE = "z9hG4bK";

    private final String branch;
    private final String method;
    private final String id;

    private TransactionIdMemo(String branch, String method, String id) {
        this.branch = branch;
        this.method = method;
        this.id = id;
    }

    /** The remembered id if {@code message} still has the branch and method it was made from, else null. */
    String idFor(SIPMessage message) {
        Via top = message.getTopmostVia();
        CSeq cseq = (CSeq) message.getCSeq();
        return top != null && cseq != null && top.getBranch() == branch && cseq.getMethod() == method ? id : null;
    }

    /** A memo of {@code id}, the stack's transaction id of {@code message}; null for a branch without the magic cookie. */
    static TransactionIdMemo of(SIPMessage message, String id) {
        Via top = message.getTopmostVia();
        CSeq cseq = (CSeq) message.getCSeq();
        String branch = top == null ? null : top.getBranch();
        String method = cseq == null ? null : cseq.getMethod();
        if (id == null || branch == null || method == null || !branch.regionMatches(true, 0, COOKIE, 0, COOKIE.length())) {
            return null;
        }
        return new TransactionIdMemo(branch, method, id);
    }
}
