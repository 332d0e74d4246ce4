package dev.sipproxy.jainsip;

import gov.nist.core.Host;
import gov.nist.core.HostPort;
import gov.nist.core.NameValue;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.AddressParametersHeader;

import java.text.ParseException;

/**
 * The address part of From, To, Contact, Route and Record-Route, in the shapes user agents send
 * (a display name, a {@code sip:} or {@code sips:} URI with user, host, port and parameters, header
 * parameters), read in one pass into the very objects the stack's parsers build: the same classes,
 * the same setters, the same strings. Each method returns the position after what it read, or -1
 * when the text is anything else, for the stack's parser to decide.
 *
 * <p>Where the stack's parsers are lenient (white space around separators, escapes in quoted strings,
 * URI headers, IPv6 hosts, non-ASCII text) this class does not follow: it gives up.
 */
final class FastAddressParser {
    private FastAddressParser() {
    }

    /** An address and its parameters at {@code p} into {@code header}; as AddressParametersParser.parse. */
    static int addressAndParameters(String s, int p, AddressParametersHeader header) throws ParseException {
        int k = firstOf(s, p);
        if (k < 0) {
            return -1;
        }
        AddressImpl address = new AddressImpl();
        char c = s.charAt(k);
        if (c == '<' || c == '"') {
            p = nameAddr(s, p, k, address);
        } else {
            SipUri uri = new SipUri();
            p = sipUri(s, p, false, uri);
            address.setAddressType(AddressImpl.ADDRESS_SPEC);
            address.setURI(uri);
        }
        if (p < 0) {
            return -1;
        }
        header.setAddress(address);
        return parameters(s, p, header);
    }

    /** The first of the characters the stack's AddressParser looks for to tell name-addr from addr-spec. */
    private static int firstOf(String s, int p) {
        for (int i = p; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<' || c == '"' || c == ':' || c == '/') {
                return i;
            }
        }
        return -1;
    }

    private static int nameAddr(String s, int p, int k, AddressImpl address) throws ParseException {
        address.setAddressType(AddressImpl.NAME_ADDR);
        if (s.charAt(p) == '"') {
            int close = s.indexOf('"', p + 1);
            if (close < 0 || SipChars.contains(s, p + 1, close, '\\')) {
                return -1;
            }
            address.setDisplayName(s.substring(p + 1, close).trim());
            p = SipChars.skipBlanks(s, close + 1);
        } else if (s.charAt(p) != '<') {
            if (s.charAt(k) != '<' || !SipChars.isTokensAndSpaces(s, p, k)) {
                return -1;
            }
            address.setDisplayName(s.substring(p, k).trim());
            p = k;
        }
        if (p >= s.length() || s.charAt(p) != '<') {
            return -1;
        }
        SipUri uri = new SipUri();
        p = sipUri(s, p + 1, true, uri);
        if (p < 0 || p >= s.length() || s.charAt(p) != '>') {
            return -1;
        }
        address.setURI(uri);
        return p + 1;
    }

    /** As URLParser.sipURL, for URIs without password, IPv6 host or headers. */
    static int sipUri(String s, int p, boolean inBrackets, SipUri uri) throws ParseException {
        return sipUri(s, p, inBrackets, false, uri);
    }

    /** A request line's Request-URI at {@code p}, ended by a space: as URLParser.sipURL with its parameters. */
    static int requestUri(String s, int p, SipUri uri) throws ParseException {
        return sipUri(s, p, true, true, uri);
    }

    private static int sipUri(String s, int p, boolean inBrackets, boolean endsAtSpace, SipUri uri) throws ParseException {
        if (s.startsWith("sip:", p)) {
            uri.setScheme("sip");
            p += 4;
        } else if (s.startsWith("sips:", p)) {
            uri.setScheme("sips");
            p += 5;
        } else {
            return -1;
        }
        int userEnd = SipChars.userEnd(s, p);
        int afterUser = userEnd;
        if (afterUser < s.length() && s.charAt(afterUser) == ':') {
            afterUser = SipChars.passwordEnd(s, afterUser + 1);
        }
        if (afterUser < s.length() && s.charAt(afterUser) == '@') {
            if (afterUser != userEnd || userEnd == p) {
                return -1; // a password, or an empty user
            }
            uri.setUser(s.substring(p, userEnd));
            p = userEnd + 1;
        }
        p = hostPort(s, p, endsAtSpace, uri);
        if (p < 0) {
            return -1;
        }
        while (inBrackets && p < s.length() && s.charAt(p) == ';') {
            int nameEnd = SipChars.uriParamEnd(s, p + 1);
            String name = s.substring(p + 1, nameEnd);
            p = nameEnd;
            String value = "";
            boolean flag = true;
            if (p < s.length() && s.charAt(p) == '=') {
                int valueEnd = SipChars.uriParamEnd(s, p + 1);
                value = s.substring(p + 1, valueEnd);
                flag = false;
                p = valueEnd;
            }
            if (!name.isEmpty() || !value.isEmpty()) {
                uri.setUriParameter(new NameValue(name, value, flag));
            }
        }
        if (p < s.length() && s.charAt(p) == '?') {
            return -1; // URI headers
        }
        return p;
    }

    private static int hostPort(String s, int p, boolean endsAtSpace, SipUri uri) {
        HostPort hostPort = new HostPort();
        p = hostPort(s, p, hostPort);
        if (p < 0) {
            return -1;
        }
        if (p < s.length()) {
            char c = s.charAt(p);
            if (c != ';' && c != '>' && c != ',' && !(endsAtSpace && c == ' ')) {
                return -1;
            }
        }
        uri.setHostPort(hostPort);
        return p;
    }

    /** An IPv4 address or host name and an optional port, as HostNameParser.hostPort; -1 for any other shape. */
    static int hostPort(String s, int p, HostPort hostPort) {
        int hostEnd = SipChars.hostEnd(s, p);
        if (hostEnd < 0) {
            return -1;
        }
        hostPort.setHost(new Host(s.substring(p, hostEnd)));
        p = hostEnd;
        if (p < s.length() && s.charAt(p) == ':') {
            int portEnd = SipChars.digitsEnd(s, p + 1, 5);
            if (portEnd < 0) {
                return -1;
            }
            hostPort.setPort(Integer.parseInt(s, p + 1, portEnd, 10));
            p = portEnd;
        }
        return p;
    }

    /** Header parameters, as ParametersParser.parse with ParserCore.nameValue, without white space. */
    private static int parameters(String s, int p, AddressParametersHeader header) {
        while (p < s.length() && s.charAt(p) == ';') {
            int nameEnd = SipChars.tokenEnd(s, p + 1);
            if (nameEnd == p + 1) {
                return -1;
            }
            String name = s.substring(p + 1, nameEnd);
            p = nameEnd;
            if (p < s.length() && s.charAt(p) == '=') {
                p++;
                if (p < s.length() && s.charAt(p) == '"') {
                    int close = s.indexOf('"', p + 1);
                    if (close < 0 || SipChars.contains(s, p + 1, close, '\\')) {
                        return -1;
                    }
                    NameValue nv = new NameValue(name, s.substring(p + 1, close), false);
                    nv.setQuotedValue();
                    header.setParameter(nv);
                    p = close + 1;
                } else {
                    int valueEnd = SipChars.tokenEnd(s, p);
                    if (valueEnd == p) {
                        return -1;
                    }
                    header.setParameter(new NameValue(name, s.substring(p, valueEnd), false));
                    p = valueEnd;
                }
            } else {
                header.setParameter(new NameValue(name, "", true));
            }
        }
        if (p < s.length() && s.charAt(p) != ',') {
            return -1; // white space, or what the stack reads as a parameter list without ';'
        }
        return p;
    }
}
