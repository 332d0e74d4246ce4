package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.stream.Collectors;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.TransactionState;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.Request;

import org.junit.Rule;
import org.junit.Test;

import gov.nist.javax.sip.message.MessageFactoryImpl;

/**
 * Requests sent through client transactions over real UDP and answered by a peer: an answered BYE
 * keeps no request (not even as bytes) and ends at once, its key absorbing a retransmitted 200; an
 * INVITE answered with an error keeps its parsed request, which the ACK to a retransmitted error
 * needs, and no bytes of it; one answered 200 keeps nothing, and a retransmitted 200 still reaches
 * the listener.
 */
public class CompactClientTransactionTest {

    private final RecordingListener listener = new RecordingListener();
    @Rule
    public final UdpStackAndPeer net = new UdpStackAndPeer(listener);

    @Test
    public void anAnsweredByeEndsAtOnceAndItsKeyAbsorbsARetransmitted200() throws Exception {
        ClientTransaction ct = send("BYE", "z9hG4bK-ct-bye-1");
        assertTrue("the stack creates compact client transactions", ct instanceof CompactClientTransaction);
        String bye = received("BYE");

        String ok = answer(bye, "200 OK");
        net.send(ok);
        ResponseEvent e = listener.nextResponse();
        assertEquals(200, e.getResponse().getStatusCode());
        assertSame("the listener gets the response through the transaction", ct, e.getClientTransaction());
        TransactionTerminatedEvent ended = listener.pollTerminated(2_000);
        assertNotNull("over UDP the transaction ends at once, not after Timer K (5 s)", ended);
        assertSame(ct, ended.getClientTransaction());
        assertEquals(TransactionState.TERMINATED, ct.getState());
        assertNull("the request is not kept, not even as bytes", ct.getRequest());
        assertFalse(((CompactClientTransaction) ct).holdsRequestBytes());
        assertTrue("its key stays for Timer K", endedClients().absorbs("z9hg4bk-ct-bye-1"));

        net.send(ok);
        assertNull("the retransmitted 200 is absorbed, not passed on as a stray response",
                listener.pollResponse(300));
    }

    @Test
    public void aStrayResponseWithAnotherBranchStillReachesTheListener() throws Exception {
        ClientTransaction ct = send("BYE", "z9hG4bK-ct-bye-2");
        String ok = answer(received("BYE"), "200 OK");
        net.send(ok);
        assertEquals(200, listener.nextResponse().getResponse().getStatusCode());
        assertNotNull(listener.pollTerminated(2_000));

        net.send(ok.replace("z9hG4bK-ct-bye-2", "z9hG4bK-ct-bye-3"));
        ResponseEvent stray = listener.pollResponse(2_000);
        assertNotNull("a response no transaction sent goes on (a proxy forwards it statelessly)", stray);
        assertNull(stray.getClientTransaction());
        assertFalse(endedClients().absorbs("z9hg4bk-ct-bye-3"));
        assertNotNull(ct);
    }

    @Test
    public void aProvisionalResponseDoesNotEndTheTransaction() throws Exception {
        ClientTransaction ct = send("BYE", "z9hG4bK-ct-bye-4");
        String bye = received("BYE");
        net.send(answer(bye, "100 Trying"));
        assertEquals(100, listener.nextResponse().getResponse().getStatusCode());
        assertEquals(TransactionState.PROCEEDING, ct.getState());
        assertNull(listener.pollTerminated(300));
        assertFalse(endedClients().absorbs("z9hg4bk-ct-bye-4"));

        net.send(answer(bye, "481 Call/Transaction Does Not Exist"));
        assertEquals(481, listener.nextResponse().getResponse().getStatusCode());
        assertNotNull("a final response after a provisional one ends it too", listener.pollTerminated(2_000));
        assertTrue(endedClients().absorbs("z9hg4bk-ct-bye-4"));
    }

    @Test
    public void anInviteAnsweredWithAnErrorKeepsItsRequestAndAcksTheRetransmittedError() throws Exception {
        ClientTransaction ct = send("INVITE", "z9hG4bK-ct-inv-1");
        String invite = received("INVITE");

        String busy = answer(invite, "486 Busy Here");
        net.send(busy);
        assertTrue("the stack acknowledges the error", net.receive().startsWith("ACK "));
        ResponseEvent e = listener.nextResponse();
        assertEquals(486, e.getResponse().getStatusCode());
        awaitReleased((CompactClientTransaction) ct);
        assertNotNull("an INVITE keeps its request: the ACK is built from it", ct.getRequest());
        assertFalse("and it is not encoded as well", ((CompactClientTransaction) ct).holdsRequestBytes());

        net.send(busy);
        String ackAgain = net.receive();
        assertTrue("the retransmitted error is acknowledged again: " + ackAgain, ackAgain.startsWith("ACK "));
        assertTrue(ackAgain.contains("z9hG4bK-ct-inv-1"));
    }

    @Test
    public void anInviteAnswered200LetsItsMessagesGoAtOnceAndPassesA2xxRetransmissionOn() throws Exception {
        ClientTransaction ct = send("INVITE", "z9hG4bK-ct-inv-2");
        String invite = received("INVITE");

        String ok = answer(invite, "200 OK");
        net.send(ok);
        assertEquals(200, listener.nextResponse().getResponse().getStatusCode());
        awaitReleased((CompactClientTransaction) ct);
        assertEquals("a 2xx ends an INVITE client transaction (RFC 3261 17.1.1.2)", TransactionState.TERMINATED, ct.getState());
        assertNull("its request goes at once, not at the stack's next look at it", ct.getRequest());
        assertFalse(((CompactClientTransaction) ct).holdsRequestBytes());

        net.send(ok);
        ResponseEvent again = listener.pollResponse(2_000);
        assertNotNull("every 2xx goes on to the listener (a proxy forwards it)", again);
        assertEquals(200, again.getResponse().getStatusCode());

        assertEndsWithin15s(ct);
    }

    /**
     * The callee's 180 and 200 come close together, and the stack's threads may take the 200 first:
     * the ended transaction must still absorb the 180, not let it go on as a stray to be forwarded
     * after the 200 (a caller in its call would take it for an error; seen in OverloadIT when
     * the transaction left the stack as the 2xx was handed on).
     */
    @Test
    public void aProvisionalResponseThatComesAfterThe2xxIsAbsorbed() throws Exception {
        send("INVITE", "z9hG4bK-ct-inv-3");
        String invite = received("INVITE");
        net.send(answer(invite, "200 OK"));
        assertEquals(200, listener.nextResponse().getResponse().getStatusCode());
        net.send(answer(invite, "180 Ringing"));
        assertNull("a 1xx after the 2xx goes nowhere", listener.pollResponse(500));
    }

    private EndedTransactions endedClients() {
        return ((BranchMatchingSipStack) net.stack().stack()).endedClientTransactions();
    }

    /** The text of the request the peer receives next, which must be a {@code method}. */
    private String received(String method) throws Exception {
        String text = net.receive();
        assertTrue(text, text.startsWith(method + " "));
        return text;
    }

    private void assertEndsWithin15s(ClientTransaction ct) throws InterruptedException {
        TransactionTerminatedEvent ended = listener.pollTerminated(15_000);
        assertNotNull("the transaction ended within 15 s", ended);
        assertSame(ct, ended.getClientTransaction());
    }

    private ClientTransaction send(String method, String branch) throws Exception {
        String uri = "sip:peer@127.0.0.1:" + net.peerPort();
        Request request = new MessageFactoryImpl().createRequest(method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + net.stackPort() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:proxy@127.0.0.1>;tag=p1\r\n"
                + "To: <" + uri + ">\r\n"
                + "Call-ID: " + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + ("INVITE".equals(method) ? "Contact: <sip:proxy@127.0.0.1:" + net.stackPort() + ">\r\n" : "")
                + "Content-Length: 0\r\n\r\n");
        ClientTransaction ct = net.stack().provider().getNewClientTransaction(request);
        ct.sendRequest();
        return ct;
    }

    /** The peer's response to a request it received: its Via, From, Call-ID and CSeq, a To tag. */
    private static String answer(String request, String status) {
        String headers = request.lines()
                .filter(l -> l.startsWith("Via:") || l.startsWith("From:") || l.startsWith("Call-ID:") || l.startsWith("CSeq:"))
                .collect(Collectors.joining("\r\n"));
        String to = request.lines().filter(l -> l.startsWith("To:")).findFirst().orElseThrow();
        return "SIP/2.0 " + status + "\r\n" + headers + "\r\n" + to + ";tag=peer1\r\nContent-Length: 0\r\n\r\n";
    }

    /** The stack cleans up after it has handed the response to the listener, on the same thread. */
    private static void awaitReleased(CompactClientTransaction ct) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!ct.released()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the answered transaction was not released within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
