package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.stream.Collectors;

import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.TransactionState;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.Rule;
import org.junit.Test;

import gov.nist.javax.sip.message.MessageFactoryImpl;

/**
 * Transactions over real TCP, where Timers J and K are zero and a transaction ends as soon as it is
 * answered: it lets its request go without encoding it (nor parsing it back at its end), ends, and
 * leaves the connection open for the next request.
 */
public class CompactTransactionsOverTcpTest {

    private final RecordingListener listener = new RecordingListener();
    @Rule
    public final TcpStackAndPeer net = new TcpStackAndPeer(listener);

    @Test
    public void anAnsweredByeEndsWithoutItsRequestAndTheConnectionServesTheNext() throws Exception {
        net.sendToStack(request("BYE", "z9hG4bK-tcp-bye-1", ";tag=b1"));
        ServerTransaction st = answer(listener.nextRequest(), Response.OK);
        assertTrue(net.receiveFromStack().startsWith("SIP/2.0 200 OK"));
        assertTrue("the stack creates compact server transactions", st instanceof CompactServerTransaction);
        assertTrue("its request goes once answered", ((CompactServerTransaction) st).requestReleased());
        assertFalse("and is not encoded as bytes", ((CompactServerTransaction) st).holdsRequestBytes());
        assertNull(st.getRequest());
        assertEndsWithin15s(st);

        net.sendToStack(request("BYE", "z9hG4bK-tcp-bye-2", ";tag=b1").replace("CSeq: 1", "CSeq: 2"));
        RequestEvent next = listener.nextRequest();
        assertEquals("the connection is still there for the next request", "BYE", next.getRequest().getMethod());
        answer(next, Response.OK);
        assertTrue(net.receiveFromStack().startsWith("SIP/2.0 200 OK"));
    }

    @Test
    public void anInviteAnswered200LetsItsMessagesGoAtOnce() throws Exception {
        net.sendToStack(request("INVITE", "z9hG4bK-tcp-inv-1", "")
                .replace("Content-Length: 0", "Contact: <sip:a@127.0.0.1:" + net.peerPort() + ";transport=tcp>\r\nContent-Length: 0"));
        ServerTransaction st = answer(listener.nextRequest(), Response.OK);
        assertTrue(net.receiveFromStack().startsWith("SIP/2.0 200"));
        assertEquals(TransactionState.TERMINATED, st.getState());
        assertTrue(((CompactServerTransaction) st).requestReleased());
        assertNull(st.getRequest());
        assertEndsWithin15s(st);
    }

    @Test
    public void aByeSentAndAnsweredKeepsNoRequestAndEnds() throws Exception {
        ClientTransaction ct = send("BYE", "z9hG4bK-tcp-ct-bye-1");
        String bye = net.receiveOnPeer();
        assertTrue(bye, bye.startsWith("BYE "));
        net.replyOnPeer(answer(bye, "200 OK"));
        assertEquals(200, listener.nextResponse().getResponse().getStatusCode());
        awaitReleased((CompactClientTransaction) ct);
        assertNull("the request is not kept, not even as bytes", ct.getRequest());
        assertFalse(((CompactClientTransaction) ct).holdsRequestBytes());
        assertEndsWithin15s(ct);
    }

    @Test
    public void anInviteSentAndAnswered200LetsItsRequestGoAtOnce() throws Exception {
        ClientTransaction ct = send("INVITE", "z9hG4bK-tcp-ct-inv-1");
        String invite = net.receiveOnPeer();
        assertTrue(invite, invite.startsWith("INVITE "));
        net.replyOnPeer(answer(invite, "200 OK"));
        assertEquals(200, listener.nextResponse().getResponse().getStatusCode());
        awaitReleased((CompactClientTransaction) ct);
        assertEquals(TransactionState.TERMINATED, ct.getState());
        assertNull(ct.getRequest());
        assertEndsWithin15s(ct);
    }

    private ServerTransaction answer(RequestEvent e, int status) throws Exception {
        ServerTransaction st = net.stack().provider().getNewServerTransaction(e.getRequest());
        Response response = SipFactory.getInstance().createMessageFactory().createResponse(status, e.getRequest());
        javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) response.getHeader("To");
        if (to.getTag() == null) {
            to.setTag("uas1");
        }
        if ("INVITE".equals(e.getRequest().getMethod())) {
            response.addHeader(SipFactory.getInstance().createHeaderFactory().createContactHeader(
                    SipFactory.getInstance().createAddressFactory().createAddress(
                            "sip:uas@127.0.0.1:" + net.stackPort() + ";transport=tcp")));
        }
        st.sendResponse(response);
        return st;
    }

    /** A request from the peer, over its connection to the stack. */
    private String request(String method, String branch, String toTag) {
        return method + " sip:proxy@127.0.0.1:" + net.stackPort() + ";transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:" + net.peerPort() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:a@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:proxy@127.0.0.1>" + toTag + "\r\n"
                + "Call-ID: " + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** A request from the stack to the peer, through a client transaction. */
    private ClientTransaction send(String method, String branch) throws Exception {
        String uri = "sip:peer@127.0.0.1:" + net.peerPort() + ";transport=tcp";
        Request request = new MessageFactoryImpl().createRequest(method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:" + net.stackPort() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:proxy@127.0.0.1>;tag=p1\r\n"
                + "To: <" + uri + ">\r\n"
                + "Call-ID: " + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + ("INVITE".equals(method) ? "Contact: <sip:proxy@127.0.0.1:" + net.stackPort() + ";transport=tcp>\r\n" : "")
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

    private void assertEndsWithin15s(ServerTransaction st) throws InterruptedException {
        TransactionTerminatedEvent ended = listener.pollTerminated(15_000);
        assertNotNull("the transaction ended within 15 s", ended);
        assertSame(st, ended.getServerTransaction());
    }

    private void assertEndsWithin15s(ClientTransaction ct) throws InterruptedException {
        TransactionTerminatedEvent ended = listener.pollTerminated(15_000);
        assertNotNull("the transaction ended within 15 s", ended);
        assertSame(ct, ended.getClientTransaction());
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
