package dev.sipproxy.jainsip;

/**
 * The character classes of the stack's lexers (LexerCore, URLParser, HostNameParser), ASCII only, and
 * scanners over them: each returns the end of the run starting at {@code p}, or -1 where it names a
 * failure. The fast header parsers use them to read exactly what the stack's parsers would.
 */
final class SipChars {
    private SipChars() {
    }

    static boolean isAlphaDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** RFC 3261 token, as LexerCore.isTokenChar. */
    static boolean isTokenChar(char c) {
        return isAlphaDigit(c) || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    /** URLParser.isUnreserved: alphanumeric or mark. */
    private static boolean isUnreserved(char c) {
        return isAlphaDigit(c) || "-_.!~*'()".indexOf(c) >= 0;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isEscaped(String s, int p) {
        return p + 2 < s.length() && s.charAt(p) == '%' && isHexDigit(s.charAt(p + 1)) && isHexDigit(s.charAt(p + 2));
    }

    static int tokenEnd(String s, int p) {
        while (p < s.length() && isTokenChar(s.charAt(p))) {
            p++;
        }
        return p;
    }

    /** One to {@code max} digits, else -1. */
    static int digitsEnd(String s, int p, int max) {
        int start = p;
        while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        return p == start || p - start > max ? -1 : p;
    }

    static int skipBlanks(String s, int p) {
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        return p;
    }

    /** The URI user part, as URLParser.user: unreserved, user-unreserved or escaped. */
    static int userEnd(String s, int p) {
        return unreservedEnd(s, p, "&?+$#/,;=");
    }

    /** As URLParser.password. */
    static int passwordEnd(String s, int p) {
        return unreservedEnd(s, p, "&=+$,");
    }

    /** A URI parameter's name or value, as URLParser.paramNameOrValue. */
    static int uriParamEnd(String s, int p) {
        return unreservedEnd(s, p, "[]/:&+$");
    }

    /** A run of unreserved characters, the {@code extra} ones and escapes (%XX). */
    private static int unreservedEnd(String s, int p, String extra) {
        while (p < s.length()) {
            char c = s.charAt(p);
            if (isUnreserved(c) || extra.indexOf(c) >= 0) {
                p++;
            } else if (isEscaped(s, p)) {
                p += 3;
            } else {
                break;
            }
        }
        return p;
    }

    /**
     * A host name or IPv4 address (HostNameParser's domain label characters); -1 for an IPv6 reference
     * or what HostNameParser would take for an IPv6 address, or no host at all.
     */
    static int hostEnd(String s, int p) {
        if (p >= s.length() || s.charAt(p) == '[' || looksLikeIpv6(s, p)) {
            return -1;
        }
        int start = p;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (isAlphaDigit(c) || c == '-' || c == '.' || c == '_') {
                p++;
            } else {
                break;
            }
        }
        return p == start ? -1 : p;
    }

    /**
     * HostNameParser.isIPv6Address on the rest of the line from {@code p}: up to the first comma,
     * then up to the first '?' (or ';' if one comes before it), two colons or more.
     */
    private static boolean looksLikeIpv6(String s, int p) {
        int end = s.indexOf(',', p);
        if (end < 0) {
            end = s.length();
        }
        int question = indexOf(s, '?', p, end);
        int semicolon = indexOf(s, ';', p, end);
        int hostEnd = question < 0 || (semicolon >= 0 && question > semicolon) ? semicolon : question;
        if (hostEnd < 0) {
            hostEnd = end;
        }
        int colons = 0;
        for (int i = p; i < hostEnd; i++) {
            if (s.charAt(i) == ':' && ++colons == 2) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(String s, char c, int from, int to) {
        int i = s.indexOf(c, from);
        return i >= to ? -1 : i;
    }

    static boolean contains(String s, int from, int to, char c) {
        int i = s.indexOf(c, from);
        return i >= 0 && i < to;
    }

    /** Tokens and spaces only: a display name the stack reads up to '<' and trims. */
    static boolean isTokensAndSpaces(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != ' ' && !isTokenChar(c)) {
                return false;
            }
        }
        return true;
    }

    /** Printable ASCII and tabs: the only text the fast parsers read. */
    static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
