package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;


import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.TransactionState;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.Response;

import org.junit.Rule;
import org.junit.Test;

/**
 * A BYE over real UDP, answered through its server transaction: the transaction lets its request go
 * once answered, yet still answers a retransmission with the same response and keeps it from the
 * listener; an RFC 2543 request (no magic cookie) keeps its request, which its matching needs.
 */
public class CompactServerTransactionTest {

    private final RecordingListener listener = new RecordingListener();
    @Rule
    public final UdpStackAndPeer net = new UdpStackAndPeer(listener);

    @Test
    public void anAnsweredByeOverUdpEndsAtOnceAndItsRetransmissionIsStillAnswered() throws Exception {
        net.send(bye("z9hG4bK-bye-1"));
        ServerTransaction st = answer(listener.nextRequest(), Response.OK);
        String first = net.receive();
        assertTrue(first.startsWith("SIP/2.0 200 OK"));
        assertTrue("the stack creates compact server transactions", st instanceof CompactServerTransaction);
        assertEquals("the answer is handed over and the transaction ends", TransactionState.TERMINATED, st.getState());
        assertNull("the request is not kept, not even as bytes", st.getRequest());
        TransactionTerminatedEvent ended = listener.pollTerminated(1000);
        assertNotNull("the listener is told at once, not after Timer J", ended);
        assertSame(st, ended.getServerTransaction());
        assertNull("the stack no longer holds it", net.stack().stack().findTransaction("z9hG4bK-bye-1".toLowerCase(), true));
        assertEquals(1, answered().size());

        net.send(bye("z9hG4bK-bye-1"));
        assertEquals("the retransmission gets the same response again", first, net.receive());
        net.send(bye("z9hG4bK-bye-1"));
        assertEquals("and every one after it, within Timer J", first, net.receive());
        assertNull("the retransmissions do not reach the listener", listener.pollRequest(300));
    }

    @Test
    public void aRequestWithTheSameBranchFromAnotherSentByIsNotARetransmission() throws Exception {
        receiveAndAnswer("z9hG4bK-bye-3");
        // RFC 3261 17.2.3: branch, sent-by and method must all match
        net.send(bye("z9hG4bK-bye-3").replace("BYE sip:", "INFO sip:").replace("CSeq: 2 BYE", "CSeq: 2 INFO"));
        assertNotNull("another method makes a new request, for the listener", listener.pollRequest(2000));
        awaitNoLongerPending("z9hG4bK-bye-3");
        net.send(bye("z9hG4bK-bye-3").replace("Via: SIP/2.0/UDP 127.0.0.1:", "Via: SIP/2.0/UDP 127.0.0.2:"));
        assertNotNull("another sent-by makes a new request, for the listener", listener.pollRequest(2000));
    }

    @Test
    public void anAnsweredByeOverUdpKeepsNoTransactionWhileTheStackHoldsTheAnswer() throws Exception {
        for (int i = 0; i < 20; i++) {
            receiveAndAnswer("z9hG4bK-many-" + i);
        }
        assertEquals(20, answered().size());
        for (int i = 0; i < 20; i++) {
            assertNull(net.stack().stack().findTransaction(("z9hG4bK-many-" + i).toLowerCase(), true));
        }
    }

    @Test
    public void anRfc2543RequestKeepsItsRequestForMatching() throws Exception {
        ServerTransaction st = receiveAndAnswer("rfc2543-bye");
        assertFalse(((CompactServerTransaction) st).requestReleased());
        assertNotNull("matched on its whole content, so kept", st.getRequest());

        net.send(bye("rfc2543-bye"));
        assertTrue(net.receive().startsWith("SIP/2.0 200 OK"));
        assertNull("the retransmission does not reach the listener", listener.pollRequest(300));
    }

    @Test
    public void anRfc2543RequestArrivingBesideAReleasedTransactionStillReachesTheListener() throws Exception {
        receiveAndAnswer("z9hG4bK-bye-2");
        // the stack asks every transaction whether an RFC 2543 request is its own (Rfc4475IT: wsinv)
        net.send(bye("rfc2543-later").replace("CSeq: 2 BYE", "CSeq: 3 BYE"));
        assertNotNull("the request was not lost", listener.nextRequest());
    }

    @Test
    public void anInviteAnsweredWithAnErrorKeepsItsParsedRequestButNoBytesAndEnds() throws Exception {
        net.send(invite("z9hG4bK-inv-1"));
        ServerTransaction st = answer(listener.nextRequest(), Response.BUSY_HERE);
        assertTrue(net.receive().startsWith("SIP/2.0 486"));
        assertEquals(TransactionState.COMPLETED, st.getState());
        assertNotNull("an INVITE keeps its request: the ACK and the CANCEL are matched against it", st.getRequest());
        assertFalse("the request is not encoded as well", ((CompactServerTransaction) st).holdsRequestBytes());

        net.send(invite("z9hG4bK-inv-1"));
        assertTrue("a retransmitted INVITE gets the error again", net.receive().startsWith("SIP/2.0 486"));
        net.send(ack("z9hG4bK-inv-1"));
        assertNull("the ACK to the error is absorbed", listener.pollRequest(300));

        // Timer I (T4, 5 s) and the stack's linger (2 s) end it
        TransactionTerminatedEvent ended = listener.pollTerminated(15_000);
        assertNotNull("the transaction ended within 15 s", ended);
        assertSame(st, ended.getServerTransaction());
    }

    @Test
    public void anInviteAnsweredWith200LetsItsMessagesGoAtOnceAndEnds() throws Exception {
        net.send(invite("z9hG4bK-inv-2"));
        ServerTransaction st = answer(listener.nextRequest(), Response.OK);
        assertTrue(net.receive().startsWith("SIP/2.0 200"));
        assertFalse(((CompactServerTransaction) st).holdsRequestBytes());
        assertEquals("a 2xx ends an INVITE server transaction (RFC 3261 17.2.1)", TransactionState.TERMINATED, st.getState());
        assertTrue("its request and response go at once", ((CompactServerTransaction) st).requestReleased());
        assertNull(st.getRequest());
        assertNull("it leaves the stack as the 2xx is sent, not at its timer's next look (500 ms)",
                net.stack().stack().findTransaction("z9hg4bk-inv-2", true));
        TransactionTerminatedEvent ended = listener.pollTerminated(1_000);
        assertNotNull("the listener is told", ended);
        assertSame(st, ended.getServerTransaction());
        assertNull("the timer does not end it a second time", listener.pollTerminated(700));

        assertTrue("its key stays for Timer L", accepted().absorbs("z9hg4bk-inv-2"));
        net.send(invite("z9hG4bK-inv-2"));
        assertNull("a retransmitted INVITE is still absorbed once the transaction has gone (RFC 6026 Accepted)",
                listener.pollRequest(300));
        net.send(ack("z9hG4bK-inv-2"));
        assertNotNull("an ACK with the INVITE's branch is not absorbed: it goes on, as one with no transaction",
                listener.pollRequest(2_000));
        net.send(invite("z9hG4bK-inv-3"));
        assertNotNull("another INVITE is a new request", listener.pollRequest(2_000));
    }

    private EndedTransactions accepted() {
        return ((BranchMatchingSipStack) net.stack().stack()).acceptedInvites();
    }

    private AnsweredRequests answered() {
        return ((BranchMatchingSipStack) net.stack().stack()).answeredRequests();
    }

    private ServerTransaction receiveAndAnswer(String branch) throws Exception {
        net.send(bye(branch));
        ServerTransaction st = answer(listener.nextRequest(), Response.OK);
        assertTrue(net.receive().startsWith("SIP/2.0 200 OK"));
        awaitNoLongerPending(branch);
        return st;
    }

    /**
     * Until the stack has taken the request with this branch back from the listener. While the
     * listener has it, jain-sip keeps it as pending under its branch alone and drops any other request
     * with that branch, whatever its sent-by or method ("transaction already exists"); its sender's
     * retransmission gets through. A CI run lost the INFO's successor that way.
     */
    private void awaitNoLongerPending(String branch) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (net.stack().stack().findPendingTransaction(branch.toLowerCase()) != null) {
            assertTrue("the stack took the request back from the listener within 5 s", System.nanoTime() < deadline);
            Thread.sleep(5);
        }
    }

    private ServerTransaction answer(RequestEvent e, int status) throws Exception {
        ServerTransaction st = net.stack().provider().getNewServerTransaction(e.getRequest());
        Response response = SipFactory.getInstance().createMessageFactory().createResponse(status, e.getRequest());
        javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) response.getHeader("To");
        if (status >= 200 && to.getTag() == null) {
            to.setTag("uas1");
        }
        if (status / 100 == 2) {
            response.addHeader(SipFactory.getInstance().createHeaderFactory().createContactHeader(
                    SipFactory.getInstance().createAddressFactory().createAddress("sip:uas@127.0.0.1:" + net.stackPort())));
        }
        st.sendResponse(response);
        return st;
    }

    private String invite(String branch) {
        return request("INVITE", branch, "") .replace("Content-Length: 0", "Contact: <sip:a@127.0.0.1:" + net.peerPort() + ">\r\nContent-Length: 0");
    }

    private String ack(String branch) {
        return request("ACK", branch, ";tag=uas1");
    }

    private String request(String method, String branch, String toTag) {
        return method + " sip:proxy@127.0.0.1:" + net.stackPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + net.peerPort() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:a@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:proxy@127.0.0.1>" + toTag + "\r\n"
                + "Call-ID: " + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private String bye(String branch) {
        return "BYE sip:proxy@127.0.0.1:" + net.stackPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + net.peerPort() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:a@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:proxy@127.0.0.1>;tag=b1\r\n"
                + "Call-ID: " + branch + "@127.0.0.1\r\n"
                + "CSeq: 2 BYE\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

}
