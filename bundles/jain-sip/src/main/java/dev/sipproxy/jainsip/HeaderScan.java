package dev.sipproxy.jainsip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks on the raw lines of a request that JAIN-SIP's lenient parser lets through but RFC 3261's
 * grammar does not (the invalid messages of RFC 4475 section 3.1.2): one SP between the parts of
 * the request line and SIP/2.0 as the version; a single-value header given twice; in From and To, an
 * unquoted display name that is not a sequence of tokens, or white space just inside the angle
 * brackets; a Contact whose URI holds a '?' without angle brackets. Headers are unfolded first.
 *
 * <p>It runs on every request the proxy receives, so it walks the bytes once and reads them in place;
 * only a folded line is copied, to be unfolded (profiles showed its first, regular-expression version
 * at a tenth of the proxy's CPU, and strings of the request line and the From and To values at 2 % of
 * what the proxy allocated).
 */
final class HeaderScan {
    private static final String VERSION = "SIP/2.0";
    private static final String[] SINGLE = {"Call-ID", "From", "To", "CSeq", "Max-Forwards", "Content-Length", "Content-Type"};
    private static final int CALL_ID = 0;
    private static final int FROM = 1;
    private static final int TO = 2;
    private static final int CSEQ = 3;
    private static final int MAX_FORWARDS = 4;
    private static final int CONTENT_LENGTH = 5;
    private static final int CONTENT_TYPE = 6;
    private static final int CONTACT = 7;
    private static final int OTHER = -1;

    private HeaderScan() {
    }

    /** Why the request is not valid, or null when these checks find nothing. */
    static String problem(byte[] msg) {
        int end = headerEnd(msg);
        int[] seen = new int[SINGLE.length];
        int lineStart = -1; // the current logical line: its first physical line [lineStart, lineEnd)
        int lineEnd = -1;
        StringBuilder folded = null; // the unfolded logical line, only once a continuation was met
        int logical = 0;
        int pos = 0;
        while (pos < end) {
            int nl = indexOf(msg, (byte) '\n', pos, end);
            int next = nl < 0 ? end : nl + 1;
            int e = nl < 0 ? end : (nl > pos && msg[nl - 1] == '\r' ? nl - 1 : nl);
            if (e > pos) {
                boolean continuation = (msg[pos] == ' ' || msg[pos] == '\t') && lineStart >= 0;
                if (continuation) {
                    if (folded == null) {
                        folded = new StringBuilder(latin1(msg, lineStart, lineEnd));
                    }
                    folded.append(' ').append(latin1(msg, pos, e).trim());
                } else {
                    if (lineStart >= 0) {
                        String p = lineProblem(msg, lineStart, lineEnd, folded, logical++, seen);
                        if (p != null) {
                            return p;
                        }
                    }
                    lineStart = pos;
                    lineEnd = e;
                    folded = null;
                }
            }
            pos = next;
        }
        if (lineStart < 0) {
            return "malformed request line";
        }
        return lineProblem(msg, lineStart, lineEnd, folded, logical, seen);
    }

    private static String lineProblem(byte[] msg, int start, int end, StringBuilder folded, int logical, int[] seen) {
        if (folded != null) {
            // rare: the same checks on the unfolded text
            byte[] line = folded.toString().getBytes(StandardCharsets.ISO_8859_1);
            return lineProblem(line, 0, line.length, null, logical, seen);
        }
        if (logical == 0) {
            return isRequestLine(msg, start, end) ? null : "malformed request line";
        }
        return headerProblem(msg, start, end, seen);
    }

    private static String headerProblem(byte[] b, int start, int end, int[] seen) {
        int colon = indexOf(b, (byte) ':', start, end);
        if (colon <= start) {
            return null;
        }
        int kind = kind(b, start, colon);
        if (kind == OTHER) {
            return null;
        }
        if (kind != CONTACT && ++seen[kind] > 1) {
            return "duplicate " + SINGLE[kind] + " header";
        }
        if (kind == FROM || kind == TO) {
            String p = nameAddrProblem(b, colon + 1, end);
            return p == null ? null : p + " in " + SINGLE[kind];
        }
        if (kind == CONTACT && indexOf(b, (byte) '<', colon + 1, end) < 0 && indexOf(b, (byte) '?', colon + 1, end) >= 0) {
            return "Contact URI with '?' outside angle brackets";
        }
        return null;
    }

    /** Which header the name in [start, end) is, white space around it ignored, in any case. */
    private static int kind(byte[] b, int from, int to) {
        int start = trimmedStart(b, from, to);
        int end = trimmedEnd(b, start, to);
        switch (end - start) {
            case 1:
                switch (b[start] | 0x20) {
                    case 'i': return CALL_ID;
                    case 'f': return FROM;
                    case 't': return TO;
                    case 'l': return CONTENT_LENGTH;
                    case 'c': return CONTENT_TYPE;
                    case 'm': return CONTACT;
                    default: return OTHER;
                }
            case 2:
                return named(b, start, "to") ? TO : OTHER;
            case 4:
                return named(b, start, "from") ? FROM : named(b, start, "cseq") ? CSEQ : OTHER;
            case 7:
                return named(b, start, "call-id") ? CALL_ID : named(b, start, "contact") ? CONTACT : OTHER;
            case 12:
                return named(b, start, "max-forwards") ? MAX_FORWARDS : named(b, start, "content-type") ? CONTENT_TYPE : OTHER;
            case 14:
                return named(b, start, "content-length") ? CONTENT_LENGTH : OTHER;
            default:
                return OTHER;
        }
    }

    /** Whether b at start spells the lower-case ASCII name, in any case. */
    private static boolean named(byte[] b, int start, String name) {
        for (int i = 0; i < name.length(); i++) {
            int c = b[start + i];
            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** method SP Request-URI SP SIP/2.0, each part visible ASCII, single spaces: the line in [start, end). */
    private static boolean isRequestLine(byte[] b, int start, int end) {
        int sp1 = indexOf(b, (byte) ' ', start, end);
        int sp2 = sp1 < 0 ? -1 : indexOf(b, (byte) ' ', sp1 + 1, end);
        if (sp1 <= start || sp2 <= sp1 + 1 || !visible(b, start, sp1) || !visible(b, sp1 + 1, sp2)) {
            return false;
        }
        return end - (sp2 + 1) == VERSION.length() && spells(b, sp2 + 1, VERSION);
    }

    /** Whether b at start spells s exactly (ASCII, case included). */
    private static boolean spells(byte[] b, int start, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[start + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c < '!' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** The From or To value in [start, end) (the bytes after the colon); read in place, no copy. */
    private static String nameAddrProblem(byte[] b, int start, int end) {
        int lt = indexOf(b, (byte) '<', start, end);
        if (lt < 0) {
            return null;
        }
        int from = trimmedStart(b, start, lt); // the display name
        int to = trimmedEnd(b, from, lt);
        if (to > from && b[from] != '"' && !isTokenList(b, from, to)) {
            return "unquoted display name that is not a token list";
        }
        int gt = indexOf(b, (byte) '>', lt, end);
        if (gt > lt + 1 && (isWhitespace(b[lt + 1]) || isWhitespace(b[gt - 1]))) {
            return "white space inside angle brackets";
        }
        return null;
    }

    /** Character.isWhitespace for a Latin-1 byte. */
    private static boolean isWhitespace(byte b) {
        int c = b & 0xff;
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    }

    /** token *(LWS token) in [from, to): token characters and blanks, beginning and ending with a token character. */
    private static boolean isTokenList(byte[] b, int from, int to) {
        if (!isTokenChar(b[from]) || !isTokenChar(b[to - 1])) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            if (b[i] != ' ' && b[i] != '\t' && !isTokenChar(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(byte b) {
        return SipChars.isTokenChar((char) (b & 0xff));
    }

    /** The first index in [from, to) past the bytes String.trim() would drop (those up to ' '), or to. */
    private static int trimmedStart(byte[] b, int from, int to) {
        while (from < to && (b[from] & 0xff) <= ' ') {
            from++;
        }
        return from;
    }

    /** The end of [from, to) without the bytes String.trim() would drop at its end. */
    private static int trimmedEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] & 0xff) <= ' ') {
            to--;
        }
        return to;
    }

    /** The start line and the unfolded header lines, up to the empty line (for answers, not the hot path). */
    static List<String> headerLines(byte[] msg) {
        int end = headerEnd(msg);
        String head = new String(msg, 0, end, StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        for (String raw : head.split("\r?\n", -1)) {
            if (raw.isEmpty()) {
                continue;
            }
            if ((raw.charAt(0) == ' ' || raw.charAt(0) == '\t') && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + raw.trim());
            } else {
                out.add(raw);
            }
        }
        return out;
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int headerEnd(byte[] msg) {
        for (int i = 0; i + 1 < msg.length; i++) {
            if (msg[i] == '\n' && (msg[i + 1] == '\n' || (msg[i + 1] == '\r' && i + 2 < msg.length && msg[i + 2] == '\n'))) {
                return i + 1;
            }
        }
        return msg.length;
    }
}
