package dev.sipproxy.jainsip;

import gov.nist.javax.sip.stack.MessageChannel;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A 400 for a request the stack cannot answer itself because it lacks From, To or Call-ID: the
 * Via, CSeq and whatever of From, To and Call-ID it has are copied. Over a stream the answer goes
 * back on the connection; over UDP to the top Via's sent-by when that is an IP literal (never a DNS
 * look-up for a malformed request).
 */
final class BadRequestAnswer {
    private static final java.util.regex.Pattern SENT_BY = java.util.regex.Pattern.compile(
            "(?im)^(?:via|v)[ \\t]*:.*?/[ \\t]*(?:udp|tcp|tls)[ \\t]+\\[?([0-9a-f.:]+?)\\]?(?::([0-9]{1,5}))?(?:[ \\t;,]|$)");
    private static final java.util.regex.Pattern IP_LITERAL = java.util.regex.Pattern.compile("[0-9.]+|[0-9a-fA-F:]+");

    private BadRequestAnswer() {
    }

    static void send(MessageChannel channel, byte[] request, String reason) {
        answer(channel, request, "400 Bad Request (" + reason + ")");
    }

    /** Answers with {@code statusAndReason}, such as "513 Message Too Large". */
    static void answer(MessageChannel channel, byte[] request, String statusAndReason) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(statusAndReason).append("\r\n");
        boolean via = false;
        for (String line : HeaderScan.headerLines(request)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.equals("via") || name.equals("v")) {
                via = true;
                b.append(line).append("\r\n");
            } else if (name.equals("cseq") || name.equals("call-id") || name.equals("i") || name.equals("from")
                    || name.equals("f") || name.equals("to") || name.equals("t")) {
                b.append(line).append("\r\n");
            }
        }
        if (!via) {
            return;
        }
        b.append("Content-Length: 0\r\n\r\n");
        try {
            if (channel.isReliable()) {
                // a stream: the answer goes back on the connection the request came on
                byte[] bytes = b.toString().getBytes(StandardCharsets.ISO_8859_1);
                if (!(channel instanceof FramingTcpMessageChannel tcp && tcp.sendBeforeStackKnowsIt(bytes))) {
                    channel.sendMessage(new gov.nist.javax.sip.parser.StringMsgParser().parseSIPMessage(bytes, true, false, null));
                }
                return;
            }
        } catch (Exception e) {
            return;
        }
        java.util.regex.Matcher sentBy = SENT_BY.matcher(b);
        if (!sentBy.find() || !IP_LITERAL.matcher(sentBy.group(1)).matches()) {
            return;
        }
        try {
            java.net.InetAddress host = java.net.InetAddress.getByName(sentBy.group(1));
            int port = sentBy.group(2) == null ? 5060 : Integer.parseInt(sentBy.group(2));
            gov.nist.javax.sip.message.SIPMessage answer = new gov.nist.javax.sip.parser.StringMsgParser()
                    .parseSIPMessage(b.toString().getBytes(StandardCharsets.ISO_8859_1), true, false, null);
            channel.sendMessage(answer, host, port);
        } catch (Exception e) {
            // the peer is gone: nothing to answer
        }
    }
}
