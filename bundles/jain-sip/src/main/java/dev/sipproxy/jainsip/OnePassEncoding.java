package dev.sipproxy.jainsip;

import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPObject;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Collection;

/**
 * Encodes a message as the stack does, byte for byte, with less copying. The stack encodes the first
 * line into bytes on its own, the headers into a builder that starts at 16 characters and doubles as
 * it goes, then copies the header bytes, the body and the first line's bytes into a new array twice
 * over: about five copies of each message it sends. Here the first line and the headers go into one
 * builder sized for the message, turned into bytes once, with the body appended.
 *
 * <p>The stack encodes the first line in UTF-8 and the headers in the body's charset; this applies to
 * messages whose body charset is UTF-8 (the default), where the two are one encoding.
 */
final class OnePassEncoding {
    /** Room for what the proxy adds to a message it parsed: its Via and its Record-Route. */
    private static final int ROOM = 256;

    private OnePassEncoding() {
    }

    static boolean appliesTo(String charset) {
        return "UTF-8".equalsIgnoreCase(charset);
    }

    static byte[] encode(SIPMessage message, SIPObject firstLine, Collection<SIPHeader> headers,
                         ContentLength contentLength, String transport) {
        // As the stack does: the top Via names the transport the message leaves on.
        Via top = message.getTopmostVia();
        if (top != null) {
            try {
                top.setTransport(transport);
            } catch (ParseException e) {
                throw new IllegalArgumentException("transport " + transport + ": " + e.getMessage(), e);
            }
        }
        StringBuilder text = new StringBuilder(Math.max(512, message.getSize() + ROOM));
        firstLine.encode(text);
        synchronized (headers) {
            for (SIPHeader header : headers) {
                if (!(header instanceof ContentLength)) {
                    header.encode(text);
                }
            }
        }
        contentLength.encode(text);
        text.append("\r\n");
        byte[] head = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = message.getRawContent();
        if (body == null || body.length == 0) {
            return head;
        }
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
