package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;


import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.TransactionState;
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
    public void anAnsweredByeLetsItsRequestGoAndStillAnswersItsRetransmission() throws Exception {
        ServerTransaction st = receiveAndAnswer("z9hG4bK-bye-1");
        assertTrue("the stack creates compact server transactions", st instanceof CompactServerTransaction);
        assertEquals(TransactionState.COMPLETED, st.getState());
        assertTrue(((CompactServerTransaction) st).requestReleased());
        assertNull("the request is not kept, not even as bytes", st.getRequest());

        net.send(bye("z9hG4bK-bye-1"));
        String again = net.receive();
        assertTrue("the retransmission gets the last response again: " + again, again.startsWith("SIP/2.0 200 OK"));
        assertTrue(again.contains("branch=z9hG4bK-bye-1"));
        assertNull("the retransmission does not reach the listener", listener.pollRequest(300));
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

    private ServerTransaction receiveAndAnswer(String branch) throws Exception {
        net.send(bye(branch));
        RequestEvent e = listener.nextRequest();
        ServerTransaction st = net.stack().provider().getNewServerTransaction(e.getRequest());
        Response ok = SipFactory.getInstance().createMessageFactory().createResponse(Response.OK, e.getRequest());
        st.sendResponse(ok);
        assertTrue(net.receive().startsWith("SIP/2.0 200 OK"));
        return st;
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
