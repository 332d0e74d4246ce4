package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import javax.sip.message.Request;

import org.junit.Test;

public class CancelKeyTest {

    private static Request rfc3261(String method, String branch, String sentBy) {
        return Sip.raw(method + " sip:bob@example.com SIP/2.0",
                "Via: SIP/2.0/UDP " + sentBy + ";branch=" + branch,
                "Max-Forwards: 70",
                "From: <sip:alice@example.com>;tag=from-1",
                "To: <sip:bob@example.com>",
                "Call-ID: call-1@198.51.100.7",
                "CSeq: 1 " + method,
                "Content-Length: 0");
    }

    private static Request rfc2543(String method, String requestUri, String callId, String fromTag, int cseq) {
        return Sip.raw(method + " " + requestUri + " SIP/2.0",
                "Via: SIP/2.0/UDP 198.51.100.7:5062",
                "Max-Forwards: 70",
                "From: <sip:alice@example.com>;tag=" + fromTag,
                "To: <sip:bob@example.com>",
                "Call-ID: " + callId,
                "CSeq: " + cseq + " " + method,
                "Content-Length: 0");
    }

    @Test
    public void cancelAndItsInviteShareTheKey() {
        assertEquals(ProxyCore.cancelKey(rfc3261("INVITE", "z9hG4bK-abc", "198.51.100.7:5062")),
                ProxyCore.cancelKey(rfc3261("CANCEL", "z9hG4bK-abc", "198.51.100.7:5062")));
    }

    @Test
    public void differentBranchesDiffer() {
        assertNotEquals(ProxyCore.cancelKey(rfc3261("INVITE", "z9hG4bK-abc", "198.51.100.7:5062")),
                ProxyCore.cancelKey(rfc3261("CANCEL", "z9hG4bK-abd", "198.51.100.7:5062")));
    }

    @Test
    public void sameBranchFromAnotherSenderDiffers() {
        assertNotEquals(ProxyCore.cancelKey(rfc3261("INVITE", "z9hG4bK-abc", "198.51.100.7:5062")),
                ProxyCore.cancelKey(rfc3261("CANCEL", "z9hG4bK-abc", "198.51.100.8:5062")));
    }

    @Test
    public void rfc3261KeyIgnoresCallIdAndCSeq() {
        Request invite = rfc3261("INVITE", "z9hG4bK-abc", "198.51.100.7:5062");
        Request cancel = Sip.raw("CANCEL sip:bob@example.com SIP/2.0",
                "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-abc",
                "Max-Forwards: 70",
                "From: <sip:alice@example.com>;tag=other",
                "To: <sip:bob@example.com>",
                "Call-ID: other",
                "CSeq: 99 CANCEL",
                "Content-Length: 0");
        assertEquals(ProxyCore.cancelKey(invite), ProxyCore.cancelKey(cancel));
    }

    @Test
    public void rfc2543CancelMatchesItsInviteByDialogFields() {
        assertEquals(ProxyCore.cancelKey(rfc2543("INVITE", "sip:bob@example.com", "c1", "t1", 7)),
                ProxyCore.cancelKey(rfc2543("CANCEL", "sip:bob@example.com", "c1", "t1", 7)));
    }

    @Test
    public void rfc2543KeyDependsOnCallIdFromTagCSeqAndRequestUri() {
        String invite = ProxyCore.cancelKey(rfc2543("INVITE", "sip:bob@example.com", "c1", "t1", 7));
        assertNotEquals(invite, ProxyCore.cancelKey(rfc2543("CANCEL", "sip:bob@example.com", "c2", "t1", 7)));
        assertNotEquals(invite, ProxyCore.cancelKey(rfc2543("CANCEL", "sip:bob@example.com", "c1", "t2", 7)));
        assertNotEquals(invite, ProxyCore.cancelKey(rfc2543("CANCEL", "sip:bob@example.com", "c1", "t1", 8)));
        assertNotEquals(invite, ProxyCore.cancelKey(rfc2543("CANCEL", "sip:carol@example.com", "c1", "t1", 7)));
    }

    @Test
    public void branchWithoutMagicCookieIsRfc2543() {
        Request invite = Sip.raw("INVITE sip:bob@example.com SIP/2.0",
                "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=1234",
                "From: <sip:alice@example.com>;tag=t1",
                "To: <sip:bob@example.com>",
                "Call-ID: c1",
                "CSeq: 7 INVITE",
                "Content-Length: 0");
        Request otherCall = Sip.raw("CANCEL sip:bob@example.com SIP/2.0",
                "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=1234",
                "From: <sip:alice@example.com>;tag=t1",
                "To: <sip:bob@example.com>",
                "Call-ID: c2",
                "CSeq: 7 CANCEL",
                "Content-Length: 0");
        // with a non-RFC-3261 branch the branch alone must not match a CANCEL to another call's INVITE
        assertNotEquals(ProxyCore.cancelKey(invite), ProxyCore.cancelKey(otherCall));
    }
}
