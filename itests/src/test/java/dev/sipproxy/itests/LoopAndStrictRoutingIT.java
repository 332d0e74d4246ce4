package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.transport.SipMessageHandler;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Beyond the original product: loop detection (482), spirals, Max-Breadth, and strict-router
 * interworking in both directions, checked on the wire with raw UDP sockets on 127.0.0.1 playing
 * the endpoint, the SIP Server (the pair's primary) and a second endpoint.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LoopAndStrictRoutingIT extends ProxyTestSupport {
    private static final AtomicInteger N = new AtomicInteger();

    @Inject
    protected SipMessageHandler proxyCore;

    private static String options(int fromPort, String requestUri, String extra) {
        int n = N.incrementAndGet();
        return "OPTIONS " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + fromPort + ";branch=z9hG4bK-loop" + n + "\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=f" + n + "\r\n"
                + "To: <sip:callee@127.0.0.1>\r\n"
                + "Call-ID: loop-" + n + "@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Max-Forwards: 70\r\n"
                + extra
                + "Content-Length: 0\r\n\r\n";
    }

    private static void send(DatagramSocket s, String msg) throws IOException {
        byte[] b = msg.getBytes(StandardCharsets.ISO_8859_1);
        s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), proxyPort()));
    }

    /** The next message on {@code s} that is not a 100 Trying, or null within 3 s. */
    private static String receive(DatagramSocket s) throws IOException {
        s.setSoTimeout(3000);
        byte[] buf = new byte[65536];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            String msg = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (!msg.startsWith("SIP/2.0 100")) {
                return msg;
            }
        }
    }

    private static DatagramSocket bind(int port) throws IOException {
        return new DatagramSocket(port, InetAddress.getLoopbackAddress());
    }

    /** Adds a Via on top, as a proxy that sends the request on would. */
    private static String withVia(String msg, int port) {
        int eol = msg.indexOf("\r\n");
        return msg.substring(0, eol + 2) + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-back" + N.incrementAndGet()
                + "\r\n" + msg.substring(eol + 2);
    }

    private static String startLine(String msg) {
        return msg == null ? null : msg.substring(0, msg.indexOf("\r\n"));
    }

    @Test
    public void requestThatComesBackUnchangedIsALoop482() throws Exception {
        try (DatagramSocket caller = bind(0); DatagramSocket server = bind(primaryPort())) {
            send(caller, options(caller.getLocalPort(), "sip:service@127.0.0.1:" + proxyPort(), ""));
            String forwarded = receive(server);
            assertNotNull("the OPTIONS reached the SIP Server", forwarded);
            // the SIP Server sends it back to the proxy unchanged, as a misconfigured element would
            send(server, withVia(forwarded, server.getLocalPort()));
            String answer = receive(server);
            assertTrue("482 Loop Detected: " + startLine(answer), startLine(answer).startsWith("SIP/2.0 482 "));
        }
    }

    /**
     * An upstream proxy forked an INVITE and both branches came here: the same From tag, Call-ID, CSeq
     * and Request-URI under another Via branch. Merged-request detection (RFC 3261 8.2.2.2) is the
     * UAS's: the proxy forwards both (JAIN-SIP's own detection answered the second 482).
     */
    @Test
    public void bothBranchesOfAnUpstreamForkAreForwarded() throws Exception {
        try (DatagramSocket caller = bind(0); DatagramSocket server = bind(primaryPort())) {
            int n = N.incrementAndGet();
            String invite = "INVITE sip:service@127.0.0.1:" + proxyPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + caller.getLocalPort() + ";branch=z9hG4bK-fork" + n + "-1\r\n"
                    + "From: <sip:caller@127.0.0.1>;tag=f" + n + "\r\n"
                    + "To: <sip:callee@127.0.0.1>\r\n"
                    + "Call-ID: fork-" + n + "@127.0.0.1\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:caller@127.0.0.1:" + caller.getLocalPort() + ">\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "Content-Length: 0\r\n\r\n";
            send(caller, invite);
            assertNotNull("the first branch reached the SIP Server", receiveContaining(server, "z9hG4bK-fork" + n + "-1"));
            send(caller, invite.replace("z9hG4bK-fork" + n + "-1", "z9hG4bK-fork" + n + "-2"));
            assertNotNull("the second branch reached the SIP Server too", receiveContaining(server, "z9hG4bK-fork" + n + "-2"));
        }
    }

    /** The next message on {@code s} that holds {@code text} (others, such as retransmissions, are skipped), or null within 5 s. */
    private static String receiveContaining(DatagramSocket s, String text) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            String msg = receive(s);
            if (msg != null && msg.contains(text)) {
                return msg;
            }
        }
        return null;
    }

    @Test
    public void requestThatComesBackWithAnotherRequestUriIsASpiralAndGoesOn() throws Exception {
        try (DatagramSocket caller = bind(0); DatagramSocket server = bind(primaryPort()); DatagramSocket other = bind(endpointPort())) {
            send(caller, options(caller.getLocalPort(), "sip:service@127.0.0.1:" + proxyPort(), ""));
            String forwarded = receive(server);
            assertNotNull(forwarded);
            String retargeted = forwarded.replaceFirst("^OPTIONS \\S+", "OPTIONS sip:other@127.0.0.1:" + endpointPort());
            send(server, withVia(retargeted, server.getLocalPort()));
            String spiral = receive(other);
            assertNotNull("the spiral was forwarded to its new Request-URI", spiral);
            assertEquals("OPTIONS sip:other@127.0.0.1:" + endpointPort() + " SIP/2.0", startLine(spiral));
            assertEquals("it passed the proxy twice", 2, spiral.split("z9hG4bK-sp", -1).length - 1);
        }
    }

    @Test
    public void maxBreadthIsForwardedUnchangedAndABadOneRefused() throws Exception {
        try (DatagramSocket caller = bind(0); DatagramSocket server = bind(primaryPort())) {
            send(caller, options(caller.getLocalPort(), "sip:service@127.0.0.1:" + proxyPort(), "Max-Breadth: 0\r\n"));
            String forwarded = receive(server);
            assertNotNull("a non-forking proxy forwards even with Max-Breadth 0", forwarded);
            assertTrue(forwarded, forwarded.contains("Max-Breadth: 0"));
            send(caller, options(caller.getLocalPort(), "sip:service@127.0.0.1:" + proxyPort(), "Max-Breadth: lots\r\n"));
            assertEquals("SIP/2.0 400", startLine(receive(caller)).substring(0, 11));
        }
    }

    @Test
    public void nextHopThatIsAStrictRouterGetsTheRequestUriPushedIntoTheRoute() throws Exception {
        try (DatagramSocket caller = bind(0); DatagramSocket strictRouter = bind(endpointPort())) {
            String route = "Route: <sip:127.0.0.1:" + proxyPort() + ";lr>, <sip:127.0.0.1:" + endpointPort() + ">\r\n";
            send(caller, options(caller.getLocalPort(), "sip:target@127.0.0.1:9", route));
            String forwarded = receive(strictRouter);
            assertNotNull("sent to the strict router", forwarded);
            assertEquals("OPTIONS sip:127.0.0.1:" + endpointPort() + " SIP/2.0", startLine(forwarded));
            assertTrue("the Request-URI is now the last Route: " + forwarded,
                    forwarded.matches("(?s).*\\r\\nRoute: <sip:target@127\\.0\\.0\\.1:9>\\r\\n.*"));
        }
    }

    @Test
    public void requestFromAStrictRouterGetsItsRequestUriBackFromTheLastRoute() throws Exception {
        try (DatagramSocket caller = bind(0); DatagramSocket server = bind(primaryPort())) {
            // a strict router puts the proxy's Record-Route value into the Request-URI
            String ownRecordRoute = "sip:127.0.0.1:" + proxyPort() + ";lr;sp-pair=default;sp-dst=udp:127.0.0.1:" + primaryPort();
            String msg = options(caller.getLocalPort(), ownRecordRoute, "Route: <sip:callee@127.0.0.1:" + primaryPort() + ">\r\n")
                    .replace("To: <sip:callee@127.0.0.1>", "To: <sip:callee@127.0.0.1>;tag=t1");
            send(caller, msg);
            String forwarded = receive(server);
            assertNotNull("the in-dialog request reached the dialog's SIP Server", forwarded);
            assertEquals("OPTIONS sip:callee@127.0.0.1:" + primaryPort() + " SIP/2.0", startLine(forwarded));
            assertTrue("the last Route was consumed: " + forwarded, !forwarded.contains("\r\nRoute:"));
        }
    }
}
