package dev.sipproxy.itests;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SIP messages over a stream (TCP or TLS), for the tests' own SIP peers. */
final class SipStream {
    private SipStream() {
    }

    /**
     * The next message (headers and body) from {@code in}. Blank lines between messages (CRLF
     * keep-alive) are skipped; returns "\r\n" alone when {@code pongs} is true and a lone CRLF comes.
     */
    static String read(InputStream in, boolean pongs) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed after '" + b + "'");
            }
            b.append((char) c);
            if (b.length() == 2 && b.toString().equals("\r\n")) {
                if (pongs) {
                    return "\r\n";
                }
                b.setLength(0);
            }
            if (b.length() > 4 && b.charAt(b.length() - 1) == '\n' && b.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        String headers = b.toString();
        String length = header(headers, "Content-Length", "l");
        int n = length == null ? 0 : Integer.parseInt(length.trim());
        byte[] body = in.readNBytes(n);
        return headers + new String(body, StandardCharsets.ISO_8859_1);
    }

    static void write(OutputStream out, String message) throws IOException {
        out.write(message.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The first value of a header (long or compact name), or null. */
    static String header(String message, String name, String compact) {
        List<String> all = headers(message, name, compact);
        return all.isEmpty() ? null : all.get(0);
    }

    /** Every value of a header, in order (comma-separated values of one line are one value here). */
    static List<String> headers(String message, String name, String compact) {
        List<String> out = new ArrayList<>();
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String n = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (n.equals(name.toLowerCase(Locale.ROOT)) || (compact != null && n.equals(compact))) {
                out.add(line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    static String startLine(String message) {
        return message.substring(0, message.indexOf("\r\n"));
    }

    /** A response to {@code request}: its Via, From, To (with {@code toTag} if it has none), Call-ID, CSeq and Record-Route. */
    static String response(String request, int code, String reason, String toTag, String contact) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (String line : request.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("v:") || lower.startsWith("from:") || lower.startsWith("f:")
                    || lower.startsWith("call-id:") || lower.startsWith("i:") || lower.startsWith("cseq:")
                    || lower.startsWith("record-route:")) {
                b.append(line).append("\r\n");
            } else if (lower.startsWith("to:") || lower.startsWith("t:")) {
                b.append(line).append(lower.contains("tag=") || toTag == null ? "" : ";tag=" + toTag).append("\r\n");
            }
        }
        if (contact != null) {
            b.append("Contact: ").append(contact).append("\r\n");
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }
}
