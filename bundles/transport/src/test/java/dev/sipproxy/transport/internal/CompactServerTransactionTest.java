package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.TransactionState;
import javax.sip.message.Response;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A BYE over real UDP, answered through its server transaction: the transaction lets its request go
 * once answered, yet still answers a retransmission with the same response and keeps it from the
 * listener; an RFC 2543 request (no magic cookie) keeps its request, which its matching needs.
 */
public class CompactServerTransactionTest {

    private final RecordingListener listener = new RecordingListener();
    private RunningStack stack;
    private DatagramSocket peer;
    private int stackPort;

    @Before
    public void start() throws Exception {
        stackPort = UdpTestStack.freePort();
        stack = UdpTestStack.start(stackPort, listener);
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(5000);
    }

    @After
    public void stop() {
        peer.close();
        stack.stop();
    }

    @Test
    public void anAnsweredByeLetsItsRequestGoAndStillAnswersItsRetransmission() throws Exception {
        ServerTransaction st = receiveAndAnswer("z9hG4bK-bye-1");
        assertTrue("the stack creates compact server transactions", st instanceof CompactServerTransaction);
        assertEquals(TransactionState.COMPLETED, st.getState());
        assertTrue(((CompactServerTransaction) st).requestReleased());
        assertNull("the request is not kept, not even as bytes", st.getRequest());

        send(bye("z9hG4bK-bye-1"));
        String again = receive();
        assertTrue("the retransmission gets the last response again: " + again, again.startsWith("SIP/2.0 200 OK"));
        assertTrue(again.contains("branch=z9hG4bK-bye-1"));
        assertNull("the retransmission does not reach the listener", listener.pollRequest(300));
    }

    @Test
    public void anRfc2543RequestKeepsItsRequestForMatching() throws Exception {
        ServerTransaction st = receiveAndAnswer("rfc2543-bye");
        assertFalse(((CompactServerTransaction) st).requestReleased());
        assertNotNull("matched on its whole content, so kept", st.getRequest());

        send(bye("rfc2543-bye"));
        assertTrue(receive().startsWith("SIP/2.0 200 OK"));
        assertNull("the retransmission does not reach the listener", listener.pollRequest(300));
    }

    private ServerTransaction receiveAndAnswer(String branch) throws Exception {
        send(bye(branch));
        RequestEvent e = listener.nextRequest();
        ServerTransaction st = stack.provider().getNewServerTransaction(e.getRequest());
        Response ok = SipFactory.getInstance().createMessageFactory().createResponse(Response.OK, e.getRequest());
        st.sendResponse(ok);
        assertTrue(receive().startsWith("SIP/2.0 200 OK"));
        return st;
    }

    private String bye(String branch) {
        return "BYE sip:proxy@127.0.0.1:" + stackPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.getLocalPort() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:a@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:proxy@127.0.0.1>;tag=b1\r\n"
                + "Call-ID: " + branch + "@127.0.0.1\r\n"
                + "CSeq: 2 BYE\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private void send(String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), stackPort));
    }

    private String receive() throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        try {
            peer.receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer from the stack within 5 s", e);
        }
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
    }
}
