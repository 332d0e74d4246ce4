package dev.sipproxy.jainsip;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * An INVITE or ACK over UDP as a listening point's receiving thread reads it from the datagram,
 * before the stack parses it: its To tag, the key of its top Via branch, and what a 503 to it
 * needs (the Via, From, To, Call-ID and CSeq lines, copied as they are, RFC 3261 section 8.2.6).
 *
 * <p>It reads only what it can read with certainty: a folded header line, a second From, To,
 * Call-ID or CSeq, a quoted string or maddr in the top Via, a CSeq of another method, a top Via
 * not over UDP: {@link #read} gives null, and the message goes the stack's way, which answers
 * every fault properly.
 */
final class RawDialogRequest {
    private static final byte[] INVITE = "INVITE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACK = "ACK ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CANCEL = "CANCEL ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS_LINE = "SIP/2.0 503 Service Unavailable\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int DEFAULT_PORT = 5060;
    private static final int MAX_VIA_LINES = 16;

    private final byte[] msg;
    private final boolean invite;
    private final int[] viaLines = new int[2 * MAX_VIA_LINES];
    private int viaCount;
    private int fromStart = -1;
    private int fromEnd;
    private int toStart = -1;
    private int toEnd;
    private int callIdStart = -1;
    private int callIdEnd;
    private int cseqStart = -1;
    private int cseqEnd;
    private String toTag;
    private long branchKey;
    // the top Via's first value
    private int topValueEnd;
    private int rportNameEnd = -1;
    private boolean rport;
    private boolean received;
    private String sentByHost;
    private int sentByPort = DEFAULT_PORT;

    private RawDialogRequest(byte[] msg, boolean invite) {
        this.msg = msg;
        this.invite = invite;
    }

    /** The INVITE or ACK in {@code msg[0, length)}, or null: another message, or one not read with certainty. */
    static RawDialogRequest read(byte[] msg, int length) {
        boolean invite = startsWith(msg, length, INVITE);
        if (!invite && !startsWith(msg, length, ACK)) {
            return null;
        }
        RawDialogRequest r = new RawDialogRequest(msg, invite);
        return r.readHeaders(length) && r.readTopVia() && r.readToTag() && r.cseqMethodMatches() ? r : null;
    }

    /** True when {@code msg[0, length)} is a CANCEL (by its request line). */
    static boolean isCancel(byte[] msg, int length) {
        return startsWith(msg, length, CANCEL);
    }

    boolean invite() {
        return invite;
    }

    /** The To tag, or null when the To header has none (a new dialog). */
    String toTag() {
        return toTag;
    }

    /** A 64-bit hash of the top Via's branch, in lower case; 0 when the branch has no RFC 3261 magic cookie. */
    long branchKey() {
        return branchKey;
    }

    /** Where a response goes (RFC 3261 18.2.2, RFC 3581): the source port with rport, else the sent-by port. */
    int responsePort(int sourcePort) {
        return rport ? sourcePort : sentByPort;
    }

    /**
     * A 503 to this request with To tag {@code tag} and Retry-After {@code retryAfter}: Via (the top
     * one with received and rport as the stack would set them), From, To, Call-ID and CSeq copied.
     */
    byte[] refusal(String tag, int retryAfter, InetAddress source, int sourcePort) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        out.writeBytes(STATUS_LINE);
        for (int i = 0; i < viaCount; i++) {
            int start = viaLines[2 * i];
            int end = viaLines[2 * i + 1];
            if (i == 0) {
                writeTopVia(out, start, end, source, sourcePort);
            } else {
                out.write(msg, start, end - start);
            }
            out.writeBytes(CRLF);
        }
        line(out, fromStart, fromEnd);
        out.write(msg, toStart, trimEnd(toStart, toEnd) - toStart);
        ascii(out, ";tag=" + tag + "\r\n");
        line(out, callIdStart, callIdEnd);
        line(out, cseqStart, cseqEnd);
        ascii(out, "Retry-After: " + retryAfter + "\r\nContent-Length: 0\r\n\r\n");
        return out.toByteArray();
    }

    private void writeTopVia(ByteArrayOutputStream out, int start, int end, InetAddress source, int sourcePort) {
        if (rportNameEnd >= 0) {
            out.write(msg, start, rportNameEnd - start);
            ascii(out, "=" + sourcePort);
            out.write(msg, rportNameEnd, topValueEnd - rportNameEnd);
        } else {
            out.write(msg, start, topValueEnd - start);
        }
        if (!received && !sameHost(sentByHost, source)) {
            ascii(out, ";received=" + source.getHostAddress());
        }
        out.write(msg, topValueEnd, end - topValueEnd);
    }

    private static boolean sameHost(String host, InetAddress source) {
        if (host.equals(source.getHostAddress())) {
            return true;
        }
        if (host.indexOf(':') < 0) {
            return false; // an IPv4 address in another form, or a name: received tells the source
        }
        try {
            return InetAddress.getByName(host).equals(source); // an IPv6 literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    // ---- reading --------------------------------------------------------------------------------

    /** The header lines up to the blank line; false on a fold, a repeated single header or no end. */
    private boolean readHeaders(int length) {
        int pos = lineEnd(0, length);
        if (pos < 0) {
            return false;
        }
        pos = next(pos, length);
        while (pos < length) {
            int end = lineEnd(pos, length);
            if (end < 0) {
                return false;
            }
            if (end == pos) {
                return viaCount > 0 && fromStart >= 0 && toStart >= 0 && callIdStart >= 0 && cseqStart >= 0;
            }
            if (msg[pos] == ' ' || msg[pos] == '\t') {
                return false; // a folded line: the stack unfolds it
            }
            if (!header(pos, end)) {
                return false;
            }
            pos = next(end, length);
        }
        return false;
    }

    private boolean header(int start, int end) {
        int colon = indexOf((byte) ':', start, end);
        if (colon < 0) {
            return false;
        }
        int nameEnd = trimEnd(start, colon);
        if (named(start, nameEnd, "via", "v")) {
            if (viaCount == MAX_VIA_LINES) {
                return false;
            }
            viaLines[2 * viaCount] = start;
            viaLines[2 * viaCount + 1] = end;
            viaCount++;
        } else if (named(start, nameEnd, "from", "f")) {
            if (fromStart >= 0) {
                return false;
            }
            fromStart = start;
            fromEnd = end;
        } else if (named(start, nameEnd, "to", "t")) {
            if (toStart >= 0) {
                return false;
            }
            toStart = start;
            toEnd = end;
        } else if (named(start, nameEnd, "call-id", "i")) {
            if (callIdStart >= 0) {
                return false;
            }
            callIdStart = start;
            callIdEnd = end;
        } else if (named(start, nameEnd, "cseq", null)) {
            if (cseqStart >= 0) {
                return false;
            }
            cseqStart = start;
            cseqEnd = end;
        }
        return true;
    }

    /** The first value of the first Via: SIP/2.0/UDP, its sent-by and parameters. */
    private boolean readTopVia() {
        int start = valueStart(viaLines[0], viaLines[1]);
        int lineEnd = viaLines[1];
        int comma = indexOf((byte) ',', start, lineEnd);
        int end = trimEnd(start, comma < 0 ? lineEnd : comma);
        topValueEnd = end;
        if (indexOf((byte) '"', start, end) >= 0) {
            return false;
        }
        int p = skipToken(start, end);
        if (!equalsIgnoreCase(start, p, "SIP/2.0/UDP")) {
            return false;
        }
        p = skipBlanks(p, end);
        int hostStart = p;
        int hostEnd;
        if (p < end && msg[p] == '[') {
            int close = indexOf((byte) ']', p, end);
            if (close < 0) {
                return false;
            }
            hostEnd = close + 1;
            sentByHost = latin1(p + 1, close);
        } else {
            while (p < end && msg[p] != ':' && msg[p] != ';' && msg[p] != ' ' && msg[p] != '\t') {
                p++;
            }
            hostEnd = p;
            sentByHost = latin1(hostStart, hostEnd);
        }
        if (sentByHost.isEmpty()) {
            return false;
        }
        p = hostEnd;
        if (p < end && msg[p] == ':') {
            int portStart = ++p;
            while (p < end && msg[p] >= '0' && msg[p] <= '9') {
                p++;
            }
            if (p == portStart || p - portStart > 5) {
                return false;
            }
            sentByPort = Integer.parseInt(latin1(portStart, p));
        }
        return readViaParams(p, end);
    }

    private boolean readViaParams(int p, int end) {
        while (true) {
            p = skipBlanks(p, end);
            if (p == end) {
                return true;
            }
            if (msg[p] != ';') {
                return false;
            }
            int nameStart = skipBlanks(p + 1, end);
            int nameEnd = nameStart;
            while (nameEnd < end && msg[nameEnd] != '=' && msg[nameEnd] != ';' && msg[nameEnd] != ' ' && msg[nameEnd] != '\t') {
                nameEnd++;
            }
            p = skipBlanks(nameEnd, end);
            int valueStart = -1;
            int valueEnd = -1;
            if (p < end && msg[p] == '=') {
                valueStart = skipBlanks(p + 1, end);
                valueEnd = valueStart;
                while (valueEnd < end && msg[valueEnd] != ';' && msg[valueEnd] != ' ' && msg[valueEnd] != '\t') {
                    valueEnd++;
                }
                p = valueEnd;
            }
            if (equalsIgnoreCase(nameStart, nameEnd, "branch") && valueStart >= 0) {
                branchKey = branchKey(valueStart, valueEnd);
            } else if (equalsIgnoreCase(nameStart, nameEnd, "rport")) {
                rport = true;
                rportNameEnd = valueStart < 0 ? nameEnd : -1;
            } else if (equalsIgnoreCase(nameStart, nameEnd, "received")) {
                received = true;
            } else if (equalsIgnoreCase(nameStart, nameEnd, "maddr")) {
                return false;
            }
        }
    }

    /** The To tag: a parameter after the closing '>' of a name-addr, or after the addr-spec. */
    private boolean readToTag() {
        int start = valueStart(toStart, toEnd);
        int end = trimEnd(start, toEnd);
        int params = -1;
        boolean quoted = false;
        for (int p = start; p < end; p++) {
            byte b = msg[p];
            if (quoted) {
                if (b == '\\') {
                    p++;
                } else if (b == '"') {
                    quoted = false;
                }
            } else if (b == '"') {
                quoted = true;
            } else if (b == '<') {
                int close = indexOf((byte) '>', p, end);
                if (close < 0) {
                    return false;
                }
                params = close + 1;
                break;
            } else if (b == ';') {
                params = p;
                break;
            }
        }
        if (quoted) {
            return false;
        }
        if (params < 0) {
            return true;
        }
        int p = params;
        while (p < end) {
            int semi = indexOf((byte) ';', p, end);
            if (semi < 0) {
                break;
            }
            int nameStart = skipBlanks(semi + 1, end);
            int nameEnd = nameStart;
            while (nameEnd < end && msg[nameEnd] != '=' && msg[nameEnd] != ';' && msg[nameEnd] != ' ' && msg[nameEnd] != '\t') {
                nameEnd++;
            }
            int eq = skipBlanks(nameEnd, end);
            if (equalsIgnoreCase(nameStart, nameEnd, "tag") && eq < end && msg[eq] == '=') {
                int valueStart = skipBlanks(eq + 1, end);
                int valueEnd = valueStart;
                while (valueEnd < end && msg[valueEnd] != ';' && msg[valueEnd] != ' ' && msg[valueEnd] != '\t') {
                    valueEnd++;
                }
                if (valueEnd == valueStart) {
                    return false;
                }
                toTag = latin1(valueStart, valueEnd);
                return true;
            }
            p = nameEnd;
        }
        return true;
    }

    /** The CSeq's method is the request's (else the stack answers 400). */
    private boolean cseqMethodMatches() {
        int start = valueStart(cseqStart, cseqEnd);
        int end = trimEnd(start, cseqEnd);
        int p = start;
        while (p < end && msg[p] >= '0' && msg[p] <= '9') {
            p++;
        }
        if (p == start) {
            return false;
        }
        p = skipBlanks(p, end);
        return equalsIgnoreCase(p, end, invite ? "INVITE" : "ACK");
    }

    private long branchKey(int start, int end) {
        if (end - start < 7 || !equalsIgnoreCase(start, start + 7, "z9hG4bK")) {
            return 0;
        }
        long h = 0xcbf29ce484222325L; // FNV-1a over the lower-case branch (the stack's transaction key)
        for (int i = start; i < end; i++) {
            int b = msg[i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33; // spread into the low bits the table takes
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    // ---- bytes ----------------------------------------------------------------------------------

    private void line(ByteArrayOutputStream out, int start, int end) {
        out.write(msg, start, end - start);
        out.writeBytes(CRLF);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean startsWith(byte[] msg, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (msg[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The end of the line at {@code start} (before its CRLF or LF), or -1 when it has no end. */
    private int lineEnd(int start, int length) {
        int nl = indexOf((byte) '\n', start, length);
        if (nl < 0) {
            return -1;
        }
        return nl > start && msg[nl - 1] == '\r' ? nl - 1 : nl;
    }

    private int next(int lineEnd, int length) {
        int p = lineEnd;
        if (p < length && msg[p] == '\r') {
            p++;
        }
        return p + 1;
    }

    private int valueStart(int lineStart, int lineEnd) {
        return skipBlanks(indexOf((byte) ':', lineStart, lineEnd) + 1, lineEnd);
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (msg[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int skipBlanks(int p, int end) {
        while (p < end && (msg[p] == ' ' || msg[p] == '\t')) {
            p++;
        }
        return p;
    }

    private int skipToken(int p, int end) {
        while (p < end && msg[p] != ' ' && msg[p] != '\t') {
            p++;
        }
        return p;
    }

    private int trimEnd(int start, int end) {
        while (end > start && (msg[end - 1] == ' ' || msg[end - 1] == '\t')) {
            end--;
        }
        return end;
    }

    private boolean named(int start, int end, String name, String compact) {
        return equalsIgnoreCase(start, end, name) || compact != null && equalsIgnoreCase(start, end, compact);
    }

    /** The bytes {@code [start, end)} are {@code s} in any case (lengths must agree). */
    private boolean equalsIgnoreCase(int start, int end, String s) {
        if (end - start != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            int a = msg[start + i];
            int b = s.charAt(i);
            if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b)) {
                return false;
            }
        }
        return true;
    }

    private String latin1(int start, int end) {
        return new String(msg, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
