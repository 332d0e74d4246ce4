package dev.sipproxy.jainsip;

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
}
