package dev.sipproxy.jainsip;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPDuplicateHeaderException;
import gov.nist.javax.sip.message.SIPResponse;

/** A response as this proxy's parser builds it: the stack's own, encoded in one pass ({@link OnePassEncoding}). */
public class ProxyResponse extends SIPResponse {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] encodeAsBytes(String transport) {
        if (statusLine == null || !OnePassEncoding.appliesTo(getCharset())) {
            return super.encodeAsBytes(transport);
        }
        return OnePassEncoding.encode(this, statusLine, headers, contentLengthHeader, transport);
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
