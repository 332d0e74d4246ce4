package dev.sipproxy.jainsip;

import gov.nist.javax.sip.SIPConstants;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.NameMap;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPDuplicateHeaderException;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.Lexer;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.RequestLineParser;
import gov.nist.javax.sip.parser.StatusLineParser;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.MessageChannel;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * The stack's parser, stricter and quieter:
 * <ul>
 * <li>a request that breaks the grammar in ways the stack's parser forgives ({@link HeaderScan}), or
 * that lacks Via, From, To, Call-ID or CSeq, is refused like any other malformed request: answered
 * 400 when its Via can be read, else dropped;</li>
 * <li>the reason put in that 400 is a short fixed phrase naming the bad header, never the parser's
 * internal message (which can hold line breaks and object dumps);</li>
 * <li>every refusal is logged through {@link MalformedMessageLog}, once per reason and peer and period.</li>
 * </ul>
 */
public class StrictMessageParser extends StringMsgParser {
    private final java.util.function.IntSupplier maxMessageSize;

    public StrictMessageParser() {
        this(() -> Integer.MAX_VALUE);
    }

    /** @param maxMessageSize larger messages are answered 513 (when possible) and dropped; 0: no limit */
    public StrictMessageParser(java.util.function.IntSupplier maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] msg, boolean readBody, boolean strict, ParseExceptionListener listener)
            throws ParseException {
        int max = maxMessageSize.getAsInt();
        // The stack reads a UDP datagram into a buffer of this size: a message that fills it was cut short.
        if (max > 0 && msg.length >= max) {
            MalformedMessageLog.refused("message larger than " + max + " bytes", msg);
            if (listener instanceof MessageChannel channel && msg.length > 0 && msg[0] != 'S') {
                BadRequestAnswer.answer(channel, msg, "513 Message Too Large");
            }
            return null; // dropped
        }
        SIPMessage message;
        try {
            message = super.parseSIPMessage(msg, readBody, strict, listener == null ? null : new CleanListener(listener));
        } catch (ParseException e) {
            throw refuse(msg, e instanceof CleanParseException ? e.getMessage() : "malformed message");
        }
        if (message instanceof SIPRequest request) {
            String problem = HeaderScan.problem(msg);
            if (problem != null) {
                throw refuse(msg, problem);
            }
            String missing = missingRequired(request);
            if (missing != null) {
                ParseException e = refuse(msg, "missing " + missing + " header");
                // The stack cannot answer a request without From, To or Call-ID: answer it here.
                if (!"Via".equals(missing) && listener instanceof MessageChannel channel) {
                    BadRequestAnswer.send(channel, msg, e.getMessage());
                }
                throw e;
            }
        }
        return message;
    }

    /**
     * The stack's first-line step, building this proxy's {@link ProxyRequest} and {@link ProxyResponse}
     * instead of the stack's own classes; the line itself through {@link FastFirstLineParser} when it
     * reads it, else through the stack's parser.
     */
    @Override
    protected SIPMessage processFirstLine(String firstLine, ParseExceptionListener listener, byte[] msg)
            throws ParseException {
        if (!firstLine.startsWith(SIPConstants.SIP_VERSION_STRING)) {
            ProxyRequest request = new ProxyRequest();
            try {
                RequestLine fast = FastFirstLineParser.requestLine(firstLine);
                request.setRequestLine(fast != null ? fast : new RequestLineParser(firstLine + "\n").parse());
            } catch (ParseException e) {
                passOn(e, listener, request, RequestLine.class, firstLine, msg);
            }
            return request;
        }
        ProxyResponse response = new ProxyResponse();
        try {
            StatusLine fast = FastFirstLineParser.statusLine(firstLine);
            response.setStatusLine(fast != null ? fast : new StatusLineParser(firstLine + "\n").parse());
        } catch (ParseException e) {
            passOn(e, listener, response, StatusLine.class, firstLine, msg);
        }
        return response;
    }

    /**
     * The common headers through {@link FastHeaderParser}; the rest, and whatever it does not read,
     * through the stack's parser. Attaching is the stack's own step: a second single-value header is
     * ignored there; the duplicate exception it declares goes to the listener with the header's class,
     * as in the stack's step.
     */
    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener, byte[] msg)
            throws ParseException {
        SIPHeader parsed = header == null ? null : FastHeaderParser.parse(header);
        if (parsed == null) {
            super.processHeader(header, message, listener, msg);
            return;
        }
        try {
            message.attachHeader(parsed, false);
        } catch (SIPDuplicateHeaderException e) {
            if (listener != null) {
                Class<?> headerClass = NameMap.getClassFromName(Lexer.getHeaderName(header));
                listener.handleException(e, message, headerClass == null ? ExtensionHeaderImpl.class : headerClass,
                        header, new String(msg, StandardCharsets.UTF_8));
            }
        }
    }

    /** As the stack does: to the listener if there is one (which may throw), else thrown. */
    private static void passOn(ParseException e, ParseExceptionListener listener, SIPMessage message,
                               Class<?> headerClass, String line, byte[] msg) throws ParseException {
        if (listener == null) {
            throw e;
        }
        listener.handleException(e, message, headerClass, line, new String(msg, StandardCharsets.UTF_8));
    }

    private static String missingRequired(SIPRequest r) {
        if (r.getTopmostVia() == null) {
            return "Via";
        }
        if (r.getFrom() == null) {
            return "From";
        }
        if (r.getTo() == null) {
            return "To";
        }
        if (r.getCallId() == null) {
            return "Call-ID";
        }
        if (r.getCSeq() == null) {
            return "CSeq";
        }
        return null;
    }

    private static ParseException refuse(byte[] msg, String reason) {
        MalformedMessageLog.refused(reason, msg);
        return new CleanParseException(reason);
    }

    /** A ParseException whose message is fit for a reason phrase. */
    static final class CleanParseException extends ParseException {
        private static final long serialVersionUID = 1L;

        CleanParseException(String reason) {
            super(reason, 0);
        }
    }

    /** Passes parse errors on with a clean message naming the header. */
    private static final class CleanListener implements ParseExceptionListener {
        private final ParseExceptionListener delegate;

        CleanListener(ParseExceptionListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void handleException(ParseException ex, SIPMessage message, @SuppressWarnings("rawtypes") Class headerClass,
                                    String header, String text) throws ParseException {
            delegate.handleException(new CleanParseException("bad " + headerName(headerClass) + " header"),
                    message, headerClass, header, text);
        }

        private static String headerName(Class<?> c) {
            if (c == From.class) {
                return "From";
            } else if (c == To.class) {
                return "To";
            } else if (c == CSeq.class) {
                return "CSeq";
            } else if (c == Via.class) {
                return "Via";
            } else if (c == CallID.class) {
                return "Call-ID";
            } else if (c == ContentLength.class) {
                return "Content-Length";
            } else if (c == RequestLine.class) {
                return "request line";
            } else if (c == StatusLine.class) {
                return "status line";
            }
            return c == null ? "a" : c.getSimpleName();
        }
    }
}
