package dev.sipproxy.jainsip;

import gov.nist.core.HostPort;
import gov.nist.core.NameValue;
import gov.nist.javax.sip.header.AddressParametersHeader;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPRequest;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the headers a proxy handles on every message (Via, From, To, Call-ID, CSeq, Max-Forwards,
 * Content-Length, Contact, Route, Record-Route) in the shapes user agents send them, into the very
 * objects the stack's parsers build. It is a fast path, not a second grammar: it reads a header only
 * when it is sure the stack's parser would read it the same way, and otherwise answers null and the
 * stack's parser (with its errors and leniencies) decides. Profiles put the stack's lexer-based
 * header parsers, and the reflective lookup of a parser for each header, at a quarter of the proxy's
 * CPU; {@code FastHeaderParserTest} holds this class to the stack's result on every line it reads.
 */
final class FastHeaderParser {
    /**
     * The methods a CSeq is read with here. The stack's lexer takes a method that is also a header name
     * ("K", the compact Supported) for that keyword and refuses it; these are none.
     */
    private static final Map<String, String> METHODS = Stream.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS",
                    "REGISTER", "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE", "REFER", "INFO", "UPDATE", "PRACK")
            .collect(Collectors.toUnmodifiableMap(m -> m, m -> SIPRequest.getCannonicalName(m).intern()));

    private FastHeaderParser() {
    }

    /** Whether {@code method} is one the fast paths read (in a CSeq here, in a request line in {@link FastFirstLineParser}). */
    static boolean isKnownMethod(String method) {
        return METHODS.containsKey(method);
    }

    /** The parsed header, or null where the stack's parser is to read it. */
    static SIPHeader parse(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0 || !SipChars.isPlainAscii(line)) {
            return null;
        }
        int p = SipChars.skipBlanks(line, colon + 1);
        try {
            switch (kind(line, colon)) {
                case VIA:
                    return vias(line, p);
                case FROM:
                    return single(line, p, new From());
                case TO:
                    return single(line, p, new To());
                case CALL_ID:
                    return callId(line, p);
                case CSEQ:
                    return cseq(line, p);
                case MAX_FORWARDS:
                    return maxForwards(line, p);
                case CONTENT_LENGTH:
                    return contentLength(line, p);
                case CONTACT:
                    return list(line, p, new ContactList(), Contact::new);
                case ROUTE:
                    return list(line, p, new RouteList(), Route::new);
                case RECORD_ROUTE:
                    return list(line, p, new RecordRouteList(), RecordRoute::new);
                default:
                    return null;
            }
        } catch (Exception e) {
            return null; // a value a setter refuses: the stack's parser says how
        }
    }

    private enum Kind { VIA, FROM, TO, CALL_ID, CSEQ, MAX_FORWARDS, CONTENT_LENGTH, CONTACT, ROUTE, RECORD_ROUTE, OTHER }

    private static Kind kind(String line, int colon) {
        switch (colon) {
            case 1:
                switch (Character.toLowerCase(line.charAt(0))) {
                    case 'v': return Kind.VIA;
                    case 'f': return Kind.FROM;
                    case 't': return Kind.TO;
                    case 'i': return Kind.CALL_ID;
                    case 'm': return Kind.CONTACT;
                    case 'l': return Kind.CONTENT_LENGTH;
                    default: return Kind.OTHER;
                }
            case 2:
                return named(line, "To", Kind.TO);
            case 3:
                return named(line, "Via", Kind.VIA);
            case 4:
                return line.charAt(0) == 'F' || line.charAt(0) == 'f' ? named(line, "From", Kind.FROM) : named(line, "CSeq", Kind.CSEQ);
            case 5:
                return named(line, "Route", Kind.ROUTE);
            case 7:
                return line.charAt(1) == 'a' || line.charAt(1) == 'A' ? named(line, "Call-ID", Kind.CALL_ID) : named(line, "Contact", Kind.CONTACT);
            case 12:
                return line.charAt(0) == 'R' || line.charAt(0) == 'r' ? named(line, "Record-Route", Kind.RECORD_ROUTE) : named(line, "Max-Forwards", Kind.MAX_FORWARDS);
            case 14:
                return named(line, "Content-Length", Kind.CONTENT_LENGTH);
            default:
                return Kind.OTHER;
        }
    }

    private static Kind named(String line, String name, Kind kind) {
        return line.regionMatches(true, 0, name, 0, name.length()) ? kind : Kind.OTHER;
    }

    private static SIPHeader single(String s, int p, AddressParametersHeader header) throws Exception {
        return FastAddressParser.addressAndParameters(s, p, header) == s.length() ? header : null;
    }

    private static <H extends AddressParametersHeader> SIPHeader list(String s, int p, SIPHeaderList<H> list,
                                                                       Supplier<H> element) throws Exception {
        while (true) {
            if (p < s.length() && s.charAt(p) == '*') {
                return null; // a Contact wildcard, which the stack reads by what follows it
            }
            H header = element.get();
            p = FastAddressParser.addressAndParameters(s, p, header);
            if (p < 0) {
                return null;
            }
            list.add(header);
            if (p == s.length()) {
                return list;
            }
            p = SipChars.skipBlanks(s, p + 1); // after the ','
        }
    }

    private static SIPHeader callId(String s, int p) throws Exception {
        String value = s.substring(p).trim();
        if (value.isEmpty()) {
            return null;
        }
        CallID callId = new CallID();
        callId.setCallId(value);
        return callId;
    }

    private static SIPHeader cseq(String s, int p) throws Exception {
        int numberEnd = SipChars.digitsEnd(s, p, 10);
        if (numberEnd < 0) {
            return null;
        }
        int methodStart = SipChars.skipBlanks(s, numberEnd);
        String method = methodStart == numberEnd ? null : METHODS.get(s.substring(methodStart));
        if (method == null) {
            return null;
        }
        CSeq cseq = new CSeq();
        cseq.setSeqNumber(Long.parseLong(s, p, numberEnd, 10));
        cseq.setMethod(method);
        return cseq;
    }

    private static SIPHeader maxForwards(String s, int p) throws Exception {
        int value = wholeNumber(s, p);
        if (value < 0) {
            return null;
        }
        MaxForwards maxForwards = new MaxForwards();
        maxForwards.setMaxForwards(value);
        return maxForwards;
    }

    private static SIPHeader contentLength(String s, int p) throws Exception {
        int value = wholeNumber(s, p);
        if (value < 0) {
            return null;
        }
        ContentLength contentLength = new ContentLength();
        contentLength.setContentLength(value);
        return contentLength;
    }

    /** The value when the rest of the line is one to nine digits (as the stack's number()), else -1. */
    private static int wholeNumber(String s, int p) {
        int end = SipChars.digitsEnd(s, p, 9);
        return end == s.length() ? Integer.parseInt(s, p, end, 10) : -1;
    }

    private static SIPHeader vias(String s, int p) {
        ViaList vias = new ViaList();
        while (true) {
            Via via = new Via();
            p = via(s, p, via);
            if (p < 0) {
                return null;
            }
            vias.add(via);
            if (p == s.length()) {
                return vias;
            }
            p = SipChars.skipBlanks(s, p + 1); // after the ','
        }
    }

    /** As ViaParser.parseVia, for sent-protocol without white space, an IPv4 or named host and token parameters. */
    private static int via(String s, int p, Via via) {
        int nameEnd = SipChars.tokenEnd(s, p);
        if (nameEnd == p || nameEnd >= s.length() || s.charAt(nameEnd) != '/') {
            return -1;
        }
        int versionEnd = SipChars.tokenEnd(s, nameEnd + 1);
        if (versionEnd == nameEnd + 1 || versionEnd >= s.length() || s.charAt(versionEnd) != '/') {
            return -1;
        }
        int transportEnd = SipChars.tokenEnd(s, versionEnd + 1);
        int hostStart = SipChars.skipBlanks(s, transportEnd);
        if (transportEnd == versionEnd + 1 || hostStart == transportEnd) {
            return -1;
        }
        Protocol protocol = new Protocol();
        protocol.setProtocolName(s.substring(p, nameEnd));
        protocol.setProtocolVersion(s.substring(nameEnd + 1, versionEnd));
        protocol.setTransport(s.substring(versionEnd + 1, transportEnd));
        via.setSentProtocol(protocol);

        HostPort sentBy = new HostPort();
        p = FastAddressParser.hostPort(s, hostStart, sentBy);
        if (p < 0) {
            return -1;
        }
        via.setSentBy(sentBy);
        while (p < s.length() && s.charAt(p) == ';') {
            p = viaParameter(s, p + 1, via);
            if (p < 0) {
                return -1;
            }
        }
        return p == s.length() || s.charAt(p) == ',' ? p : -1;
    }

    /** As ViaParser.nameValue: the name in lower case; received read up to ';' or ','; no flag branch. */
    private static int viaParameter(String s, int p, Via via) {
        int nameEnd = SipChars.tokenEnd(s, p);
        if (nameEnd == p) {
            return -1;
        }
        String name = s.substring(p, nameEnd).toLowerCase();
        if (nameEnd >= s.length() || s.charAt(nameEnd) != '=') {
            if (name.equals(Via.BRANCH)) {
                return -1;
            }
            via.setParameter(new NameValue(name, null));
            return nameEnd;
        }
        int valueStart = nameEnd + 1;
        int valueEnd = name.equals(Via.RECEIVED) ? addressEnd(s, valueStart) : SipChars.tokenEnd(s, valueStart);
        if (valueEnd == valueStart) {
            return -1;
        }
        via.setParameter(new NameValue(name, s.substring(valueStart, valueEnd)));
        return valueEnd;
    }

    /** An IPv4 or IPv6 address in received=; anything else between ';'s goes to the stack's parser. */
    private static int addressEnd(String s, int p) {
        int end = p;
        while (end < s.length() && (Character.digit(s.charAt(end), 16) >= 0 || s.charAt(end) == '.' || s.charAt(end) == ':')) {
            end++;
        }
        return end == s.length() || s.charAt(end) == ';' || s.charAt(end) == ',' ? end : p;
    }
}
