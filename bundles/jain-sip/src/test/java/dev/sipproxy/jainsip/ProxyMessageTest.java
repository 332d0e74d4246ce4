package dev.sipproxy.jainsip;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;

import org.junit.Test;

/**
 * The proxy's parsed messages encode to the very bytes the stack's own classes encode to (on the
 * RFC 4475 messages the stack parses, and on call messages as the proxy changes them), and requests
 * carry no merge key.
 */
public class ProxyMessageTest {
    private static final String INVITE = "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1;rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"Al Ice\" <sip:alice@127.0.0.1:5070>;tag=1\r\n"
            + "To: <sip:bob@127.0.0.1>\r\n"
            + "Call-ID: 1@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: sip:alice@127.0.0.1:5070\r\n"
            + "Subject: caf\u00e9\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 13\r\n\r\n"
            + "v=0\r\no=- 1 1\r\n";

    private static final String OK = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-2\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1;rport=5070;received=127.0.0.1\r\n"
            + "Record-Route: <sip:127.0.0.1:5060;lr>\r\n"
            + "From: <sip:alice@127.0.0.1:5070>;tag=1\r\n"
            + "To: <sip:bob@127.0.0.1>;tag=2\r\n"
            + "Call-ID: 1@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Content-Type: text/plain;charset=ISO-8859-1\r\n"
            + "Content-Length: 4\r\n\r\n"
            + "caf\u00e9";

    private final StrictMessageParser proxyParser = new StrictMessageParser();

    private static SIPMessage stackParse(byte[] bytes) throws ParseException {
        return new StringMsgParser().parseSIPMessage(bytes, true, false, null);
    }

    private SIPMessage proxyParse(byte[] bytes) throws ParseException {
        return proxyParser.parseSIPMessage(bytes, true, false, null);
    }

    /** The stack's message and the proxy's, or null if either parser refuses the bytes. */
    private SIPMessage[] parsedByBoth(byte[] bytes) {
        try {
            SIPMessage stacks = stackParse(bytes);
            SIPMessage ours = proxyParse(bytes);
            return stacks == null || ours == null ? null : new SIPMessage[] {stacks, ours};
        } catch (ParseException | RuntimeException refused) {
            return null;
        }
    }

    @Test
    public void theParserBuildsTheProxysClasses() throws Exception {
        SIPMessage request = proxyParse(INVITE.getBytes(StandardCharsets.UTF_8));
        SIPMessage response = proxyParse(OK.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(ProxyRequest.class, request.getClass());
        assertEquals(ProxyResponse.class, response.getClass());
        assertEquals("a copy keeps the class", ProxyRequest.class, request.clone().getClass());
    }

    @Test
    public void aRequestHasNoMergeKey() throws Exception {
        SIPRequest request = (SIPRequest) proxyParse(INVITE.getBytes(StandardCharsets.UTF_8));
        assertNull(request.getMergeId());
        assertNotNull("the stack's own request has one", ((SIPRequest) stackParse(INVITE.getBytes(StandardCharsets.UTF_8))).getMergeId());
    }

    @Test
    public void callMessagesEncodeAsTheStacksDo() throws Exception {
        for (String text : List.of(INVITE, OK)) {
            byte[] bytes = text.getBytes(text == OK ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            SIPMessage ours = proxyParse(bytes);
            SIPMessage stacks = stackParse(bytes);
            assertArrayEquals(stacks.encodeAsBytes("UDP"), ours.encodeAsBytes("UDP"));
            assertArrayEquals(stacks.encodeAsBytes("TCP"), ours.encodeAsBytes("TCP"));
            assertTrue("the top Via names the transport", new String(ours.encodeAsBytes("TLS"), StandardCharsets.ISO_8859_1)
                    .contains("Via: SIP/2.0/TLS 127.0.0.1"));
        }
    }

    @Test
    public void changedAndCopiedMessagesEncodeAsTheStacksDo() throws Exception {
        byte[] bytes = INVITE.getBytes(StandardCharsets.UTF_8);
        SIPMessage ours = (SIPMessage) proxyParse(bytes).clone();
        SIPMessage stacks = (SIPMessage) stackParse(bytes).clone();
        for (SIPMessage m : List.of(ours, stacks)) {
            m.addFirst(new gov.nist.javax.sip.parser.ViaParser("Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-3\n").parse());
            RecordRouteList rr = (RecordRouteList) new gov.nist.javax.sip.parser.RecordRouteParser(
                    "Record-Route: <sip:127.0.0.2:5060;lr>\n").parse();
            m.addFirst(rr.getFirst());
            m.removeContent();
        }
        assertArrayEquals(stacks.encodeAsBytes("UDP"), ours.encodeAsBytes("UDP"));
    }

    @Test
    public void rfc4475MessagesTheStackParsesEncodeAsTheStacksDo() throws IOException {
        int compared = 0;
        for (Path file : Rfc4475Messages.files()) {
            byte[] bytes = Files.readAllBytes(file);
            SIPMessage[] both = parsedByBoth(bytes);
            if (both == null || both[0].getTopmostVia() == null) {
                continue; // refused, or nothing to encode
            }
            SIPMessage stacks = both[0];
            SIPMessage ours = both[1];
            assertArrayEquals(file.getFileName().toString(), stacks.encodeAsBytes("UDP"), ours.encodeAsBytes("UDP"));
            compared++;
        }
        assertTrue("messages compared: " + compared, compared >= 10);
    }

    /** Header by header, field by field: what the proxy's parser (and its fast path) builds is the stack's. */
    @Test
    public void messagesHoldTheHeadersTheStacksParserBuilds() throws IOException {
        int compared = 0;
        List<byte[]> messages = new java.util.ArrayList<>();
        messages.add(INVITE.getBytes(StandardCharsets.UTF_8));
        messages.add(OK.getBytes(StandardCharsets.ISO_8859_1));
        for (Path file : Rfc4475Messages.files()) {
            messages.add(Files.readAllBytes(file));
        }
        for (byte[] bytes : messages) {
            SIPMessage[] both = parsedByBoth(bytes);
            if (both == null) {
                continue;
            }
            String difference = ObjectGraphs.difference(headers(both[0]), headers(both[1]));
            assertNull(new String(bytes, StandardCharsets.ISO_8859_1), difference);
            compared++;
        }
        assertTrue("messages compared: " + compared, compared >= 12);
    }

    /** Without Date: the stack's parser gives its calendar the milliseconds of the moment it parses. */
    private static List<Object> headers(SIPMessage message) {
        List<Object> headers = new java.util.ArrayList<>();
        message.getHeaders().forEachRemaining(h -> {
            if (!(h instanceof gov.nist.javax.sip.header.SIPDateHeader)) {
                headers.add(h);
            }
        });
        return headers;
    }

    /** A second To in a response is treated as the stack treats it: the first one kept, nothing reported. */
    @Test
    public void aDuplicateHeaderIsTreatedAsTheStackTreatsIt() throws Exception {
        byte[] bytes = OK.replace("CSeq:", "To: <sip:carol@127.0.0.1>;tag=3\r\nCSeq:").getBytes(StandardCharsets.ISO_8859_1);
        List<Class<?>> stacks = new java.util.ArrayList<>();
        List<Class<?>> ours = new java.util.ArrayList<>();
        SIPMessage stack = new StringMsgParser().parseSIPMessage(bytes, true, false, (e, m, c, h, text) -> stacks.add(c));
        SIPMessage our = new StrictMessageParser().parseSIPMessage(bytes, true, false, (e, m, c, h, text) -> ours.add(c));
        assertEquals("2", stack.getTo().getTag());
        assertEquals("2", our.getTo().getTag());
        assertEquals(stacks, ours);
        assertArrayEquals(stack.encodeAsBytes("UDP"), our.encodeAsBytes("UDP"));
    }

    /** Single Via, Route, Record-Route and Contact headers added to a message end up in the very lists the stack makes. */
    @Test
    public void addedSingleHeadersGoInTheListsTheStackMakes() throws Exception {
        byte[] bytes = INVITE.getBytes(StandardCharsets.UTF_8);
        SIPMessage ours = proxyParse(bytes);
        SIPMessage stacks = stackParse(bytes);
        for (SIPMessage m : List.of(ours, stacks)) {
            m.addFirst(((gov.nist.javax.sip.header.ViaList) new gov.nist.javax.sip.parser.ViaParser(
                    "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-3\n").parse()).getFirst());
            m.addFirst(((RecordRouteList) new gov.nist.javax.sip.parser.RecordRouteParser(
                    "Record-Route: <sip:127.0.0.2:5060;lr>\n").parse()).getFirst());
            m.addLast(((gov.nist.javax.sip.header.RouteList) new gov.nist.javax.sip.parser.RouteParser(
                    "Route: <sip:127.0.0.3;lr>\n").parse()).getFirst());
            m.setHeader(((gov.nist.javax.sip.header.ContactList) new gov.nist.javax.sip.parser.ContactParser(
                    "Contact: <sip:carol@127.0.0.4>\n").parse()).getFirst());
        }
        assertTrue(ours.getHeader("Route") instanceof gov.nist.javax.sip.header.Route);
        assertEquals(ProxyRequest.class, ours.getClass());
        assertNull(ObjectGraphs.difference(headers(stacks), headers(ours)));
        assertArrayEquals(stacks.encodeAsBytes("UDP"), ours.encodeAsBytes("UDP"));
    }

    /** The remembered transaction id is the stack's, also after the top Via or the method changed, and on copies. */
    @Test
    public void theTransactionIdIsTheStacksThroughChanges() throws Exception {
        String cancel = INVITE.replace("INVITE sip:", "CANCEL sip:").replace("1 INVITE", "1 CANCEL");
        String oldStyle = INVITE.replace(";branch=z9hG4bK-1", ";branch=1234");
        for (String text : List.of(INVITE, OK, cancel, oldStyle, INVITE.replace("z9hG4bK-1", "Z9HG4BK-UPPER"))) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            SIPMessage ours = proxyParse(bytes);
            SIPMessage stacks = stackParse(bytes);
            assertEquals(text, stacks.getTransactionId(), ours.getTransactionId());
            assertEquals(text, stacks.getTransactionId(), ours.getTransactionId());
            SIPMessage copy = (SIPMessage) ours.clone();
            assertEquals(stacks.getTransactionId(), copy.getTransactionId());
            for (SIPMessage m : List.of(copy, stacks)) {
                m.addFirst(((gov.nist.javax.sip.header.ViaList) new gov.nist.javax.sip.parser.ViaParser(
                        "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-copy\n").parse()).getFirst());
            }
            assertEquals(text, stacks.getTransactionId(), copy.getTransactionId());
            assertEquals("z9hg4bk-copy", copy.getTransactionId().substring(0, 12));
            assertEquals("the original keeps its own", stackParse(bytes).getTransactionId(), ours.getTransactionId());
            for (SIPMessage m : List.of(copy, stacks)) {
                m.getTopmostVia().setBranch("z9hG4bK-again");
                ((gov.nist.javax.sip.header.CSeq) m.getCSeq()).setMethod("BYE");
            }
            assertEquals(text, stacks.getTransactionId(), copy.getTransactionId());
        }
    }
}
