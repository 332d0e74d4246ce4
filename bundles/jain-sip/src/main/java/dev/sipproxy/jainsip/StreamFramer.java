package dev.sipproxy.jainsip;

import java.util.Arrays;

/**
 * Cuts the bytes of a TCP or TLS connection into SIP messages (RFC 3261 section 18.3): the headers
 * end at the first empty line, and Content-Length (or its compact form {@code l}) says how many
 * bytes of body follow; without one the body is empty. Between messages, a CRLF is an RFC 5626
 * keep-alive pong, and a second CRLF right after it makes a ping (a double CRLF), as the stack's own
 * reader counted them; other empty lines are skipped.
 *
 * <p>One framer per connection, fed by its one reading thread. What cannot be framed (headers or a
 * message longer than the limit, a Content-Length that is not a number, two that differ) throws
 * {@link FramingException}: the rest of the stream cannot be told apart from that message, so the
 * connection must be closed.
 */
final class StreamFramer {
    /** What the framer finds in the stream. */
    interface Sink {
        /** A whole message, exactly its bytes (the array is the sink's). */
        void message(byte[] message);

        /** A double CRLF: the peer asks for a pong. */
        void ping();

        /** A single CRLF: the peer's pong, or the first half of its ping. */
        void pong();
    }

    /** A stream that cannot be cut into messages from here on. */
    static final class FramingException extends Exception {
        private final transient byte[] head;
        private final boolean tooLarge;

        FramingException(String reason, byte[] head, boolean tooLarge) {
            super(reason, null, false, false);
            this.head = head;
            this.tooLarge = tooLarge;
        }

        /** Whether the message is refused for its size (else for its Content-Length). */
        boolean tooLarge() {
            return tooLarge;
        }

        /** What was received of the message that cannot be framed, for an answer to it. */
        byte[] head() {
            return head;
        }
    }

    private static final int INITIAL_CAPACITY = 4096;

    private final int maxMessageSize;
    private byte[] buf = new byte[INITIAL_CAPACITY];
    /** Start of the message being framed. */
    private int start;
    /** End of the bytes received. */
    private int end;
    /** Where the search for the end of the headers goes on (what is before it has been searched). */
    private int searched;
    /** The end of the message being framed, once its headers are complete; -1 before. */
    private int messageEnd = -1;
    /** Whether the last thing between messages was a CRLF, so that another one makes a ping. */
    private boolean afterCrlf;

    /** @param maxMessageSize the longest message accepted, headers and body; 0: no limit */
    StreamFramer(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize > 0 ? maxMessageSize : Integer.MAX_VALUE;
    }

    /** Bytes received and not yet part of a whole message. */
    int pending() {
        return end - start;
    }

    /** Whether part of a message (not only blank lines between messages) is waiting for its rest. */
    boolean inMessage() {
        // between feeds, blank lines are gone but for a CR waiting for its LF
        return end - start > 1 || (end > start && buf[start] != '\r');
    }

    /**
     * Takes {@code len} received bytes and hands {@code sink} every message they complete, in order;
     * returns how many messages that was.
     */
    int feed(byte[] bytes, int off, int len, Sink sink) throws FramingException {
        append(bytes, off, len);
        int messages = 0;
        while (next(sink)) {
            messages++;
        }
        compact();
        return messages;
    }

    /** Frames one message from {@code start} (after the keep-alives before it); false when more bytes are needed. */
    private boolean next(Sink sink) throws FramingException {
        if (messageEnd < 0) {
            if (start == searched && !skipBlankLines(sink)) {
                return false;
            }
            int headersEnd = headersEnd();
            if (headersEnd < 0) {
                if (end - start > maxMessageSize) {
                    throw new FramingException("headers longer than " + maxMessageSize + " bytes",
                            Arrays.copyOfRange(buf, start, end), true);
                }
                return false;
            }
            long bodyLength;
            try {
                bodyLength = contentLength(headersEnd);
            } catch (NumberFormatException e) {
                throw new FramingException(e.getMessage(), Arrays.copyOfRange(buf, start, headersEnd), false);
            }
            long length = (long) headersEnd - start + bodyLength;
            if (length > maxMessageSize) {
                throw new FramingException("message larger than " + maxMessageSize + " bytes",
                        Arrays.copyOfRange(buf, start, headersEnd), true);
            }
            messageEnd = start + (int) length;
            afterCrlf = false;
        }
        if (end < messageEnd) {
            return false;
        }
        byte[] message = Arrays.copyOfRange(buf, start, messageEnd);
        start = messageEnd;
        searched = start;
        messageEnd = -1;
        sink.message(message);
        return true;
    }

    /**
     * Takes the CRLFs and stray LFs before a message, telling the sink of pongs and pings; true when a
     * message starts at {@code start}, false when the bytes ran out (a lone CR waits for its LF).
     */
    private boolean skipBlankLines(Sink sink) {
        while (start < end) {
            byte b = buf[start];
            if (b == '\n') {
                start++; // a blank line, not a keep-alive
            } else if (b == '\r') {
                if (start + 1 >= end) {
                    searched = start;
                    return false;
                }
                if (buf[start + 1] != '\n') {
                    break; // a message that starts oddly: the parser will say what is wrong with it
                }
                start += 2;
                if (afterCrlf) {
                    afterCrlf = false;
                    sink.ping();
                } else {
                    afterCrlf = true;
                    sink.pong();
                }
            } else {
                break;
            }
        }
        searched = start;
        return start < end;
    }

    /** The index just after the empty line that ends the headers, or -1 if it has not arrived yet. */
    private int headersEnd() {
        for (int i = searched; i < end; i++) {
            if (buf[i] != '\n') {
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            if (buf[i + 1] == '\n') {
                return i + 2;
            }
            if (buf[i + 1] == '\r') {
                if (i + 2 >= end) {
                    break;
                }
                if (buf[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        // the last two bytes may begin the empty line: look at them again next time
        searched = Math.max(start, end - 2);
        return -1;
    }

    /**
     * The Content-Length of the headers from {@code start} to {@code headersEnd}; 0 without one. Two
     * that differ leave the message's end unknown (RFC 4475 section 3.3.9: over a stream, the
     * connection has to be closed).
     */
    private long contentLength(int headersEnd) {
        long found = -1;
        int line = start;
        while (line < headersEnd) {
            int lineEnd = line;
            while (lineEnd < headersEnd && buf[lineEnd] != '\n') {
                lineEnd++;
            }
            int value = contentLengthValue(line, lineEnd);
            if (value >= 0) {
                long n = number(value, lineEnd);
                if (found >= 0 && n != found) {
                    throw new NumberFormatException("Content-Length values that differ");
                }
                found = n;
            }
            line = lineEnd + 1;
        }
        return Math.max(found, 0);
    }

    /** Where the value starts if the line from {@code p} to {@code lineEnd} is a Content-Length header; -1 if not. */
    private int contentLengthValue(int p, int lineEnd) {
        int nameEnd = p;
        while (nameEnd < lineEnd && buf[nameEnd] != ':' && buf[nameEnd] != ' ' && buf[nameEnd] != '\t') {
            nameEnd++;
        }
        if (!isContentLength(p, nameEnd)) {
            return -1;
        }
        int q = nameEnd;
        while (q < lineEnd && (buf[q] == ' ' || buf[q] == '\t')) {
            q++;
        }
        return q < lineEnd && buf[q] == ':' ? q + 1 : -1;
    }

    private boolean isContentLength(int from, int to) {
        int n = to - from;
        if (n == 1) {
            return (buf[from] | 0x20) == 'l';
        }
        if (n != CONTENT_LENGTH.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((buf[from + i] | 0x20) != CONTENT_LENGTH[i]) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private long number(int p, int lineEnd) {
        while (p < lineEnd && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        long n = 0;
        int digits = 0;
        while (p < lineEnd && buf[p] >= '0' && buf[p] <= '9') {
            n = n * 10 + (buf[p] - '0');
            p++;
            if (++digits > 10) {
                throw new NumberFormatException("Content-Length too long");
            }
        }
        while (p < lineEnd && (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\r')) {
            p++;
        }
        if (digits == 0 || p != lineEnd) {
            throw new NumberFormatException("Content-Length not a number");
        }
        return n;
    }

    private void append(byte[] bytes, int off, int len) {
        if (end + len > buf.length) {
            int needed = end - start + len;
            if (needed <= buf.length / 2) {
                shiftToFront();
            } else {
                byte[] bigger = new byte[Math.max(buf.length * 2, needed)];
                System.arraycopy(buf, start, bigger, 0, end - start);
                moveMarks(bigger);
            }
        }
        System.arraycopy(bytes, off, buf, end, len);
        end += len;
    }

    /** After the messages are out: back to the start of the buffer, and back to its first size once it is empty. */
    private void compact() {
        if (start == end) {
            if (buf.length > INITIAL_CAPACITY) {
                buf = new byte[INITIAL_CAPACITY];
            }
            searched -= start;
            if (messageEnd >= 0) {
                messageEnd -= start;
            }
            start = 0;
            end = 0;
        } else if (start > buf.length / 2) {
            shiftToFront();
        }
    }

    private void shiftToFront() {
        System.arraycopy(buf, start, buf, 0, end - start);
        moveMarks(buf);
    }

    private void moveMarks(byte[] to) {
        searched -= start;
        if (messageEnd >= 0) {
            messageEnd -= start;
        }
        end -= start;
        start = 0;
        buf = to;
    }
}
