package dev.sipproxy.jainsip;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;

import java.text.ParseException;

/**
 * A message's first line in the shapes user agents send, read in one pass into the objects the
 * stack's RequestLineParser and StatusLineParser build (the same classes, the same setters, the same
 * strings): {@code METHOD sip-uri SIP/2.0} with a method RFC 3261 and its extensions define and a
 * {@code sip:} or {@code sips:} URI that {@link FastAddressParser} reads, and
 * {@code SIP/2.0 DDD reason}. The stack's parsers run a lexer over the line, token by token, with a
 * keyword table lookup per token: on the proxy's hot path that was a fifth of its parsing. Anything
 * else (another method, white space the stack tolerates, a tel: URI, an IPv6 host) is null, for the
 * stack's parser to decide.
 */
final class FastFirstLineParser {
    private static final String VERSION = "SIP/2.0";
    private static final String SPACE_VERSION = " " + VERSION;
    private static final String VERSION_SPACE = VERSION + " ";

    private FastFirstLineParser() {
    }

    /** As RequestLineParser.parse on {@code line}, or null when the line has any other shape. */
    static RequestLine requestLine(String line) throws ParseException {
        int space = line.indexOf(' ');
        if (space <= 0 || !line.endsWith(SPACE_VERSION)) {
            return null;
        }
        String method = line.substring(0, space);
        if (!FastHeaderParser.isKnownMethod(method)) {
            return null;
        }
        SipUri uri = new SipUri();
        int end = FastAddressParser.requestUri(line, space + 1, uri);
        if (end != line.length() - SPACE_VERSION.length()) {
            return null;
        }
        RequestLine requestLine = new RequestLine();
        requestLine.setMethod(method);
        requestLine.setUri(uri);
        requestLine.setSipVersion(VERSION);
        return requestLine;
    }

    /** As StatusLineParser.parse on {@code line}, or null when the line has any other shape. */
    static StatusLine statusLine(String line) {
        if (line.length() < 12 || !line.startsWith(VERSION_SPACE) || line.charAt(11) != ' ') {
            return null;
        }
        int code = 0;
        for (int i = 8; i < 11; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            code = code * 10 + (c - '0');
        }
        StatusLine statusLine = new StatusLine();
        statusLine.setSipVersion(VERSION);
        statusLine.setStatusCode(code);
        // the stack skips the blanks after the code, then trims what is left
        statusLine.setReasonPhrase(line.substring(12).trim());
        return statusLine;
    }
}
