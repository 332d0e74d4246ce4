package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.transport.NewDialogScreen;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

import org.junit.Rule;
import org.junit.Test;

/**
 * New dialogs decided as the stack's UDP listening point receives them, over real UDP: a refused
 * INVITE is answered 503 by the transport and never reaches the listener, nor does its ACK; an
 * admitted one reaches it marked as admitted on receipt, so the proxy does not admit it twice.
 */
public class ReceiptScreeningTest {
    private final Listener listener = new Listener();
    @Rule
    public final UdpStackAndPeer net = new UdpStackAndPeer(listener);
    private final Screen screen = new Screen();

    @Test
    public void aRefusedInviteIsAnswered503OnReceiptAndNeitherItNorItsAckReachesTheListener() throws Exception {
        screen.admit = false;
        net.stack().screenNewDialogs(screen);
        net.send(invite("z9hG4bK-refused-1"));
        String answer = net.receive();
        assertTrue(answer, answer.startsWith("SIP/2.0 503 Service Unavailable\r\n"));
        assertTrue(answer, answer.contains("\r\nRetry-After: 9\r\n"));
        Matcher tag = Pattern.compile("\r\nTo: <sip:proxy@127.0.0.1>;tag=(scr-r\\d+)\r\n").matcher(answer);
        assertTrue(answer, tag.find());
        net.send(ack("z9hG4bK-refused-1", tag.group(1)));
        net.send(invite("z9hG4bK-refused-1"));
        assertTrue("a retransmission is refused again", net.receive().startsWith("SIP/2.0 503"));
        assertNull("neither the INVITE nor its ACK reached the listener", listener.requests.poll(300, TimeUnit.MILLISECONDS));
        assertEquals("asked once", 1, screen.asked.get());
        assertEquals("two 503s", 2, screen.refused.get());
    }

    @Test
    public void anAdmittedInviteReachesTheListenerMarkedAsAdmittedOnReceipt() throws Exception {
        net.stack().screenNewDialogs(screen);
        net.send(invite("z9hG4bK-admitted-1"));
        Boolean admitted = listener.requests.poll(5, TimeUnit.SECONDS);
        assertNotNull("the INVITE reached the listener", admitted);
        assertTrue("admitted on receipt", admitted);
        net.send(invite("z9hG4bK-admitted-1").replace("INVITE sip:", "OPTIONS sip:")
                .replace("CSeq: 1 INVITE", "CSeq: 1 OPTIONS").replace("branch=z9hG4bK-admitted-1", "branch=z9hG4bK-options-1"));
        Boolean options = listener.requests.poll(5, TimeUnit.SECONDS);
        assertNotNull(options);
        assertFalse("another request on the same worker is not", options);
        assertEquals(1, screen.asked.get());
    }

    @Test
    public void withoutAScreenTheProxyDecides() throws Exception {
        net.stack().screenNewDialogs(screen);
        net.stack().screenNewDialogs(null);
        net.send(invite("z9hG4bK-unscreened-1"));
        Boolean admitted = listener.requests.poll(5, TimeUnit.SECONDS);
        assertNotNull(admitted);
        assertFalse(admitted);
        assertEquals(0, screen.asked.get());
    }

    private String invite(String branch) {
        return "INVITE sip:proxy@127.0.0.1:" + net.stackPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + net.peerPort() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:a@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:proxy@127.0.0.1>\r\n"
                + "Call-ID: " + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:a@127.0.0.1:" + net.peerPort() + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private String ack(String branch, String toTag) {
        return invite(branch).replace("INVITE sip:", "ACK sip:").replace("CSeq: 1 INVITE", "CSeq: 1 ACK")
                .replace("To: <sip:proxy@127.0.0.1>", "To: <sip:proxy@127.0.0.1>;tag=" + toTag);
    }

    /** Records, for each request, whether it was admitted on receipt, as the proxy asks on the same thread. */
    private final class Listener implements SipListener {
        final LinkedBlockingQueue<Boolean> requests = new LinkedBlockingQueue<>();

        @Override public void processRequest(RequestEvent e) { requests.add(net.stack().admittedOnReceipt()); }
        @Override public void processResponse(ResponseEvent e) { }
        @Override public void processTimeout(TimeoutEvent e) { }
        @Override public void processIOException(IOExceptionEvent e) { }
        @Override public void processTransactionTerminated(TransactionTerminatedEvent e) { }
        @Override public void processDialogTerminated(DialogTerminatedEvent e) { }
    }

    private static final class Screen implements NewDialogScreen {
        volatile boolean admit = true;
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger tags = new AtomicInteger();

        @Override public boolean admitNewDialog() { asked.incrementAndGet(); return admit; }
        @Override public int retryAfterSeconds() { return 9; }
        @Override public String newRefusalTag() { return "scr-r" + tags.incrementAndGet(); }
        @Override public boolean isRefusalTag(String tag) { return tag.startsWith("scr-r"); }
        @Override public void refused() { refused.incrementAndGet(); }
    }
}
