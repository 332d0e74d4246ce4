package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import javax.sip.SipFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Response;

import org.junit.Test;

/** What the receiving thread reads of an INVITE or ACK, and the 503 it writes, checked by JAIN-SIP's own parser. */
public class RawDialogRequestTest {
    private static final String INVITE = "INVITE sip:bob@127.0.0.1:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bK-Abc-1;rport\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.9:5072;branch=z9hG4bK-first, SIP/2.0/TCP 127.0.0.8;branch=z9hG4bK-x\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"Alice <a>; tag=no\" <sip:alice@127.0.0.1>;tag=a1\r\n"
            + "To: <sip:bob@127.0.0.1;tag=uri-param>\r\n"
            + "Call-ID: c1@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:alice@127.0.0.1:5071>\r\n"
            + "Content-Length: 0\r\n\r\n";

    @Test
    public void anInviteWithoutToTagIsReadWithItsBranchKey() {
        RawDialogRequest r = read(INVITE);
        assertNotNull(r);
        assertEquals(true, r.invite());
        assertNull("a tag inside the URI is the URI's", r.toTag());
        assertEquals("the key ignores case, as the stack's transaction key does",
                read(INVITE.replace("z9hG4bK-Abc-1", "Z9HG4BK-aBC-1")).branchKey(), r.branchKey());
        assertNotEquals(read(INVITE.replace("z9hG4bK-Abc-1", "z9hG4bK-Abc-2")).branchKey(), r.branchKey());
        assertEquals("rport: the source port", 40000, r.responsePort(40000));
    }

    @Test
    public void theToTagIsFoundAfterTheNameAddrOrTheAddrSpec() {
        assertEquals("b9", read(INVITE.replace("To: <sip:bob@127.0.0.1;tag=uri-param>", "To: \"B;tag=x\" <sip:bob@127.0.0.1> ; TAG = b9 ;x")).toTag());
        assertEquals("b8", read(INVITE.replace("To: <sip:bob@127.0.0.1;tag=uri-param>", "t: sip:bob@127.0.0.1;tag=b8")).toTag());
    }

    @Test
    public void whatIsNotReadWithCertaintyGoesTheStacksWay() {
        assertNull("a folded line", read(INVITE.replace("CSeq: 1 INVITE\r\n", "CSeq: 1\r\n INVITE\r\n")));
        assertNull("two To headers", read(INVITE.replace("Call-ID:", "To: <sip:c@127.0.0.1>\r\nCall-ID:")));
        assertNull("a CSeq of another method", read(INVITE.replace("CSeq: 1 INVITE", "CSeq: 1 BYE")));
        assertNull("no Call-ID", read(INVITE.replace("Call-ID: c1@127.0.0.1\r\n", "")));
        assertNull("no blank line", read(INVITE.substring(0, INVITE.length() - 2)));
        assertNull("maddr", read(INVITE.replace(";rport\r\n", ";rport;maddr=127.0.0.3\r\n")));
        assertNull("TCP", read(INVITE.replace("SIP/2.0/UDP 127.0.0.1:5071", "SIP/2.0/TCP 127.0.0.1:5071")));
        assertNull("an unclosed quote", read(INVITE.replace("To: <sip:bob@127.0.0.1;tag=uri-param>", "To: \"Bob <sip:bob@127.0.0.1>")));
        assertNull("another method", read(INVITE.replace("INVITE sip:", "OPTIONS sip:").replace("1 INVITE", "1 OPTIONS")));
        assertEquals("no magic cookie: no key", 0, read(INVITE.replace("z9hG4bK-Abc-1", "rfc2543")).branchKey());
    }

    @Test
    public void anAckIsReadForItsToTag() {
        String ack = INVITE.replace("INVITE sip:", "ACK sip:").replace("1 INVITE", "1 ACK")
                .replace("To: <sip:bob@127.0.0.1;tag=uri-param>", "To: <sip:bob@127.0.0.1>;tag=spx-r1");
        RawDialogRequest r = read(ack);
        assertEquals(false, r.invite());
        assertEquals("spx-r1", r.toTag());
    }

    @Test
    public void theRefusalIsA503TheStackParsesWithTheRequestsHeaders() throws Exception {
        RawDialogRequest r = read(INVITE.replace("Via: SIP/2.0/UDP 127.0.0.1:5071", "v: SIP/2.0/UDP host.invalid:5071"));
        byte[] bytes = r.refusal("spx-r7", 5, InetAddress.getByName("127.0.0.1"), 40000);
        Response response = (Response) new gov.nist.javax.sip.parser.StringMsgParser()
                .parseSIPMessage(bytes, true, false, null);
        assertEquals(503, response.getStatusCode());
        assertEquals("Service Unavailable", response.getReasonPhrase());
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        assertEquals("z9hG4bK-Abc-1", top.getBranch());
        assertEquals(40000, top.getRPort());
        assertEquals("the sent-by is not the source", "127.0.0.1", top.getReceived());
        assertEquals(3, count(response.getHeaders(ViaHeader.NAME)));
        assertEquals("spx-r7", ((ToHeader) response.getHeader(ToHeader.NAME)).getTag());
        assertEquals("a1", ((javax.sip.header.FromHeader) response.getHeader("From")).getTag());
        assertEquals("c1@127.0.0.1", ((javax.sip.header.CallIdHeader) response.getHeader("Call-ID")).getCallId());
        assertEquals(5, ((javax.sip.header.RetryAfterHeader) response.getHeader("Retry-After")).getRetryAfter());
        assertEquals(0, response.getContentLength().getContentLength());
        assertNotNull(SipFactory.getInstance());
    }

    @Test
    public void withoutRportTheAnswerGoesToTheSentByPortAndTheViaIsKept() throws Exception {
        RawDialogRequest r = read(INVITE.replace(";rport\r\n", "\r\n"));
        assertEquals(5071, r.responsePort(40000));
        String text = new String(r.refusal("t", 5, InetAddress.getByName("127.0.0.1"), 40000), StandardCharsets.US_ASCII);
        assertEquals(true, text.contains("\r\nVia: SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bK-Abc-1\r\n"));
    }

    @Test
    public void aCancelIsKnownByItsRequestLine() {
        byte[] cancel = INVITE.replace("INVITE sip:", "CANCEL sip:").replace("1 INVITE", "1 CANCEL").getBytes(StandardCharsets.US_ASCII);
        assertEquals(true, RawDialogRequest.isCancel(cancel, cancel.length));
        byte[] invite = INVITE.getBytes(StandardCharsets.US_ASCII);
        assertEquals(false, RawDialogRequest.isCancel(invite, invite.length));
        assertEquals("a datagram shorter than the method", false, RawDialogRequest.isCancel(cancel, 6));
    }

    private static int count(java.util.ListIterator<?> it) {
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }

    private static RawDialogRequest read(String message) {
        byte[] b = (message + "junk after the datagram").getBytes(StandardCharsets.US_ASCII);
        return RawDialogRequest.read(b, message.length());
    }
}
