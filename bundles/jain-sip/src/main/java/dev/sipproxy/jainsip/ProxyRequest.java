package dev.sipproxy.jainsip;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPDuplicateHeaderException;
import gov.nist.javax.sip.message.SIPRequest;

/**
 * A request as this proxy's parser builds it (and every copy of one, since a clone keeps its class).
 * It behaves as the stack's own, less two costs a proxy has no use for:
 * <ul>
 * <li>It has no merge key. The key serves merged-request detection (RFC 3261 8.2.2.2), which is a
 * UAS's job and is off in the proxy's stack; yet the stack built the key, by encoding the
 * Request-URI and the CSeq into a string with the From tag and the Call-ID, when each transaction
 * began and again when it ended (3-4 % of the CPU samples at 1250 calls/s).</li>
 * <li>It is encoded in one pass ({@link OnePassEncoding}).</li>
 * </ul>
 */
public class ProxyRequest extends SIPRequest {
    private static final long serialVersionUID = 1L;

    /** None: the proxy's stack detects no merged requests (see the class comment). */
    @Override
    public String getMergeId() {
        return null;
    }

    @Override
    public byte[] encodeAsBytes(String transport) {
        if (isNullRequest() || requestLine == null || !OnePassEncoding.appliesTo(getCharset())) {
            return super.encodeAsBytes(transport);
        }
        return OnePassEncoding.encode(this, requestLine, headers, contentLengthHeader, transport);
    }

    /** Remembered transaction id ({@link TransactionIdMemo}); a clone starts with its original's. */
    private transient TransactionIdMemo transactionId;

    @Override
    public String getTransactionId() {
        TransactionIdMemo memo = transactionId;
        String id = memo == null ? null : memo.idFor(this);
        if (id == null) {
            id = super.getTransactionId();
            transactionId = TransactionIdMemo.of(this, id);
        }
        return id;
    }

    /** As the stack's, with a single Via, Route, Record-Route or Contact put in its list without reflection ({@link HeaderLists}). */
    @Override
    public void attachHeader(SIPHeader header, boolean replaceFlag, boolean top) throws SIPDuplicateHeaderException {
        super.attachHeader(HeaderLists.inList(header), replaceFlag, top);
    }
}
