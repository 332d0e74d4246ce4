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
 * over: about five copies of each message it sends. Here the first line and the headers go into a
 * builder the thread keeps from one message to the next, whose characters are copied once into the
 * message's bytes, body included: the bytes sent are the only array made per message. (Through a
 * string, as before, the header text was copied three times over: the builder, the string, the
 * bytes; with the INVITE, 180, 200, ACK, BYE and 200 the proxy sends per call, the leading site in
 * JFR's allocation samples, about a fifth of them.) A header with a character beyond US-ASCII goes
 * the long way, through a string encoded in UTF-8.
 *
 * <p>The stack encodes the first line in UTF-8 and the headers in the body's charset; this applies to
 * messages whose body charset is UTF-8 (the default), where the two are one encoding.
 */
final class OnePassEncoding {
    /** A thread's builder grows to its largest message; one grown past this is not kept. */
    static final int KEPT_CAPACITY = 16 * 1024;
    // A thread's builder, and an array for the builder's characters. JDK types only: a value of a
    // class of this bundle would keep the bundle's class loader alive in threads that outlive it.
    private static final ThreadLocal<StringBuilder> TEXT = ThreadLocal.withInitial(() -> new StringBuilder(2048));
    private static final ThreadLocal<char[]> CHARS = ThreadLocal.withInitial(() -> new char[2048]);

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
        StringBuilder text = TEXT.get();
        text.setLength(0);
        try {
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
            return withBody(text, message.getRawContent());
        } finally {
            if (text.capacity() > KEPT_CAPACITY) {
                TEXT.remove();
                CHARS.remove();
            }
        }
    }

    /** The text's bytes followed by the body's, in one new array. */
    private static byte[] withBody(StringBuilder text, byte[] body) {
        int n = text.length();
        int bodyLength = body == null ? 0 : body.length;
        char[] chars = CHARS.get();
        if (chars.length < n) {
            chars = new char[Math.max(n, 2 * chars.length)];
            CHARS.set(chars);
        }
        text.getChars(0, n, chars, 0);
        byte[] all = new byte[n + bodyLength];
        int beyondAscii = 0;
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            beyondAscii |= c;
            all[i] = (byte) c;
        }
        if (beyondAscii >= 0x80) {
            byte[] head = text.toString().getBytes(StandardCharsets.UTF_8);
            all = Arrays.copyOf(head, head.length + bodyLength);
            n = head.length;
        }
        if (bodyLength > 0) {
            System.arraycopy(body, 0, all, n, bodyLength);
        }
        return all;
    }
}
