package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.stack.UDPMessageProcessor;

import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import javax.sip.message.Request;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Datagrams of every size, one after the other into the listening point's one buffer, each arrives whole and alone. */
public class UdpReceiveTest {

    private final RecordingListener requests = new RecordingListener();
    private int port;
    private RunningStack stack;

    @Before
    public void start() throws Exception {
        port = UdpTestStack.freePort();
        stack = UdpTestStack.start(port, requests);
        assertEquals("the proxy's UDP receive loop", "BufferReusingUdpProcessor", processor().getClass().getSimpleName());
    }

    @After
    public void stop() {
        stack.stop();
    }

    @Test
    public void eachDatagramArrivesWithExactlyItsOwnBytes() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            // large, then small: a reused buffer must not leak the tail of the first into the second
            String[] bodies = {"a".repeat(9000), "b".repeat(10), "c".repeat(700), ""};
            for (int i = 0; i < bodies.length; i++) {
                send(peer, port, message(i, bodies[i], peer.getLocalPort()));
                Request r = requests.nextRequest().getRequest();
                assertEquals("call " + i, "call-" + i + "@127.0.0.1", ((javax.sip.header.CallIdHeader) r.getHeader("Call-ID")).getCallId());
                byte[] body = r.getRawContent() == null ? new byte[0] : r.getRawContent();
                assertEquals("body of call " + i, bodies[i], new String(body, StandardCharsets.US_ASCII));
            }
            // more than the stack's maximum message size: dropped, and the next one still arrives
            send(peer, port, message(90, "x".repeat(20_000), peer.getLocalPort()));
            send(peer, port, message(91, "after", peer.getLocalPort()));
            Request r = requests.nextRequest().getRequest();
            assertEquals("call-91@127.0.0.1", ((javax.sip.header.CallIdHeader) r.getHeader("Call-ID")).getCallId());
        }
    }

    @Test
    public void aSocketClosedUnderTheListeningPointEndsItsReceiveThread() throws Exception {
        // the transport's UdpListenerWatch restarts a stack whose receive thread is gone; a thread
        // spinning on a closed socket would look alive and receive nothing
        String name = "MessageProcessorThread-UDP-127.0.0.1/" + port;
        assertTrue("receiving", receiveThreadAlive(name));
        Field sock = UDPMessageProcessor.class.getDeclaredField("sock");
        sock.setAccessible(true);
        ((DatagramSocket) sock.get(processor())).close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (receiveThreadAlive(name) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse("the receive thread ended", receiveThreadAlive(name));
    }

    private UDPMessageProcessor processor() {
        return (UDPMessageProcessor) ((ListeningPointImpl) stack.provider().getListeningPoints()[0]).getMessageProcessor();
    }

    private static boolean receiveThreadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && name.equals(t.getName()));
    }

    private static String message(int i, String body, int fromPort) {
        return "MESSAGE sip:user@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + fromPort + ";branch=z9hG4bK-udp-" + i + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:peer@127.0.0.1>;tag=" + i + "\r\n"
                + "To: <sip:user@127.0.0.1>\r\n"
                + "Call-ID: call-" + i + "@127.0.0.1\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static void send(DatagramSocket peer, int port, String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
    }
}
