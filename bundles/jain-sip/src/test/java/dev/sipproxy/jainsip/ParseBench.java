package dev.sipproxy.jainsip;

import gov.nist.javax.sip.parser.StringMsgParser;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * Parsing speed, not a test: the stack's parser against the proxy's (its checks and its fast path for
 * the common headers) on an INVITE and a 200 as sipp and this proxy send them. Run by {@code bench/parse};
 * a bounded loop (five rounds of 100000 pairs per parser) that prints microseconds per pair.
 */
public final class ParseBench {
    private static final String INVITE = "INVITE sip:service@127.0.0.1:5990 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5991;branch=z9hG4bK-30448-1-0\r\n"
            + "From: sipp <sip:sipp@127.0.0.1:5991>;tag=30448SIPpTag001\r\n"
            + "To: service <sip:service@127.0.0.1:5990>\r\n"
            + "Call-ID: 1-30448@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:sipp@127.0.0.1:5991;transport=UDP>\r\n"
            + "Max-Forwards: 70\r\n"
            + "Subject: Performance Test\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length:   129\r\n\r\n"
            + "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final String OK = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-2;rport=5060\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5991;branch=z9hG4bK-30448-1-0;received=127.0.0.1\r\n"
            + "Record-Route: <sip:127.0.0.1:5060;transport=udp;lr>\r\n"
            + "From: sipp <sip:sipp@127.0.0.1:5991>;tag=30448SIPpTag001\r\n"
            + "To: service <sip:service@127.0.0.1:5990>;tag=30406SIPpTag011\r\n"
            + "Call-ID: 1-30448@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:127.0.0.1:5990;transport=UDP>\r\n"
            + "Content-Length: 0\r\n\r\n";
    private static final int PAIRS = 100_000;

    private ParseBench() {
    }

    public static void main(String[] args) throws ParseException {
        byte[] invite = INVITE.getBytes(StandardCharsets.UTF_8);
        byte[] ok = OK.getBytes(StandardCharsets.UTF_8);
        StringMsgParser[] parsers = {new StringMsgParser(), new StrictMessageParser()};
        for (int round = 1; round <= 5; round++) {
            for (StringMsgParser parser : parsers) {
                long start = System.nanoTime();
                for (int i = 0; i < PAIRS; i++) {
                    parser.parseSIPMessage(invite, true, false, null);
                    parser.parseSIPMessage(ok, true, false, null);
                }
                double micros = (System.nanoTime() - start) / 1000.0 / PAIRS;
                System.out.printf("round %d  %-20s %6.2f us per INVITE + 200%n", round, parser.getClass().getSimpleName(), micros);
            }
        }
    }
}
