package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;

import org.junit.Rule;
import org.junit.Test;

/** Responses over real UDP sockets: each finds its client transaction, a stray one reaches the listener without one. */
public class BranchMatchingSipStackTest {

    private final RecordingListener responses = new RecordingListener();
    @Rule
    public final UdpStackAndPeer net = new UdpStackAndPeer(responses);

    @Test
    public void eachResponseFindsItsOwnClientTransactionAmongOthers() throws Exception {
        ClientTransaction a = sendOptions("z9hG4bK-a");
        ClientTransaction b = sendOptions("z9hG4bK-b");
        ClientTransaction c = sendOptions("z9hG4bK-c");
        receive();
        receive();
        receive();
        answer("z9hG4bK-b", "OPTIONS");
        assertSame(b, responses.nextResponse().getClientTransaction());
        answer("z9hG4bK-c", "OPTIONS");
        assertSame(c, responses.nextResponse().getClientTransaction());
        answer("z9hG4bK-a", "OPTIONS");
        assertSame(a, responses.nextResponse().getClientTransaction());
    }

    @Test
    public void aResponseWithAnUnknownBranchReachesTheListenerAsAStray() throws Exception {
        sendOptions("z9hG4bK-known");
        receive();
        answer("z9hG4bK-unknown", "OPTIONS");
        ResponseEvent stray = responses.nextResponse();
        assertEquals("z9hG4bK-unknown", ((javax.sip.header.ViaHeader) stray.getResponse().getHeader("Via")).getBranch());
        assertNull("no client transaction for a branch the proxy never sent", stray.getClientTransaction());
        answer("z9hG4bK-known", "OPTIONS");
        assertNotNull("the known branch still matches", responses.nextResponse().getClientTransaction());
    }

    @Test
    public void aCancelResponseDoesNotMatchTheTransactionWithItsBranch() throws Exception {
        sendOptions("z9hG4bK-same");
        receive();
        answer("z9hG4bK-same", "CANCEL");
        assertNull("CANCEL is matched with its method too", responses.nextResponse().getClientTransaction());
    }

    private ClientTransaction sendOptions(String branch) throws Exception {
        SipFactory f = SipFactory.getInstance();
        AddressFactory af = f.createAddressFactory();
        HeaderFactory hf = f.createHeaderFactory();
        javax.sip.address.SipURI target = af.createSipURI(null, "127.0.0.1");
        target.setPort(net.peerPort());
        javax.sip.address.SipURI me = af.createSipURI("proxy", "127.0.0.1");
        me.setPort(net.stackPort());
        Request r = f.createMessageFactory().createRequest(target, Request.OPTIONS,
                hf.createCallIdHeader(branch + "@127.0.0.1"), hf.createCSeqHeader(1L, Request.OPTIONS),
                hf.createFromHeader(af.createAddress(me), "f"), hf.createToHeader(af.createAddress(target), null),
                List.of(hf.createViaHeader("127.0.0.1", net.stackPort(), "udp", branch)), hf.createMaxForwardsHeader(70));
        ClientTransaction ct = net.stack().provider().getNewClientTransaction(r);
        ct.sendRequest();
        return ct;
    }

    private String receive() throws Exception {
        DatagramPacket p = net.receivePacket();
        assertEquals("requests leave from the listening point's port (its Via)", net.stackPort(), p.getPort());
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    private void answer(String branch, String method) throws Exception {
        String response = "SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + net.stackPort() + ";branch=" + branch + "\r\n"
                + "From: <sip:proxy@127.0.0.1:" + net.stackPort() + ">;tag=f\r\n"
                + "To: <sip:127.0.0.1:" + net.peerPort() + ">;tag=t\r\n"
                + "Call-ID: " + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        net.send(response);
    }
}
