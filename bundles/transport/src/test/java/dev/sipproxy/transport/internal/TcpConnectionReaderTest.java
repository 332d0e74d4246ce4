package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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
 * How the stack reads a TCP connection: messages cut at any byte arrive whole and in order however
 * long the stream goes on, a peer that stops in the middle of a message is cut off after the read
 * timeout (5 s), a stream that cannot be framed is answered and closed, a request with a bad header
 * is answered 400 and the connection goes on, and a connection that falls behind shows in the
 * receive backlog that overload control watches.
 */
public class TcpConnectionReaderTest {
    private static final long READ_TIMEOUT_MILLIS = 5000;

    private final RecordingListener recorder = new RecordingListener();
    /** Passes requests to the recorder, those whose Call-ID starts with "slow" after 2 ms of work. */
    private final SipListener listener = new SipListener() {
        @Override
        public void processRequest(RequestEvent e) {
            if (e.getRequest().getHeader("Call-ID").toString().contains("slow")) {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            recorder.processRequest(e);
        }

        @Override public void processResponse(ResponseEvent e) { recorder.processResponse(e); }
        @Override public void processTimeout(TimeoutEvent e) { }
        @Override public void processIOException(IOExceptionEvent e) { }
        @Override public void processTransactionTerminated(TransactionTerminatedEvent e) { }
        @Override public void processDialogTerminated(DialogTerminatedEvent e) { }
    };
    @Rule
    public final TcpStackAndPeer net = new TcpStackAndPeer(listener);

    @Test
    public void messagesCutAnywhereArriveWholeWhileAStalledPeerIsCutOff() throws Exception {
        try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), net.stackPort())) {
            String half = options("stalled-1");
            stalled.getOutputStream().write(bytes(half.substring(0, half.length() / 2)));
            long stalledAt = System.nanoTime();

            // 70 requests over 7 s, every write ending in the middle of a request: the stream never
            // pauses between messages for longer than the read timeout
            int count = 70;
            StringBuilder stream = new StringBuilder();
            for (int i = 0; i < count; i++) {
                stream.append(options("split-" + i));
            }
            byte[] all = bytes(stream.toString());
            int chunk = all.length / count + 37;
            for (int off = 0; off < all.length; off += chunk) {
                net.sendRawToStack(all, off, Math.min(chunk, all.length - off));
                Thread.sleep(100);
            }
            for (int i = 0; i < count; i++) {
                assertEquals("split-" + i + "@127.0.0.1", callId(recorder.nextRequest()));
            }

            stalled.setSoTimeout((int) READ_TIMEOUT_MILLIS);
            int eof = stalled.getInputStream().read();
            long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledAt);
            assertEquals("the stalled peer's connection is closed", -1, eof);
            assertTrue("not before the read timeout: " + closedAfter + " ms", closedAfter >= READ_TIMEOUT_MILLIS - 100);
        }
        net.sendToStack(options("after"));
        assertEquals("the streaming connection is still open", "after@127.0.0.1", callId(recorder.nextRequest()));
    }

    @Test
    public void aStreamThatCannotBeFramedIsAnsweredAndClosed() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), net.stackPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(bytes(options("negative").replace("Content-Length: 0", "Content-Length: -5")));
            String answerThenClose = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertAnswered400(answerThenClose, "Content-Length not a number", "negative");
        }
        net.sendToStack(options("next"));
        assertEquals("other connections are not touched", "next@127.0.0.1", callId(recorder.nextRequest()));
    }

    @Test
    public void aRequestWithABadHeaderIsAnswered400AndTheConnectionGoesOn() throws Exception {
        net.sendToStack(options("bad-cseq").replace("CSeq: 1 OPTIONS", "CSeq: one OPTIONS"));
        assertAnswered400(net.receiveFromStack(), "bad CSeq header", "bad-cseq");
        net.sendToStack(options("good"));
        assertEquals("the next request on the same connection", "good@127.0.0.1", callId(recorder.nextRequest()));
    }

    @Test
    public void aPingOnAFreshConnectionIsAnsweredWithAPong() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), net.stackPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(bytes("\r\n\r\n"));
            byte[] pong = s.getInputStream().readNBytes(2);
            assertEquals("\r\n", new String(pong, StandardCharsets.US_ASCII));
        }
    }

    @Test
    public void aConnectionThatFallsBehindShowsInTheReceiveBacklog() throws Exception {
        // 3000 requests at once, each taking 2 ms to process: 6 s of work queued on one connection
        int count = 3000;
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < count; i++) {
            burst.append(options("slow-" + i));
        }
        net.sendToStack(burst.toString());
        await("the backlog shows the connection behind", () -> net.stack().receiveBacklogMillis() >= 300);
        for (int i = 0; i < count; i++) {
            recorder.nextRequest();
        }
        await("the backlog is gone once the connection caught up", () -> net.stack().receiveBacklogMillis() == 0);
    }

    private String options(String callId) {
        return "OPTIONS sip:proxy@127.0.0.1:" + net.stackPort() + ";transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:" + net.peerPort() + ";branch=z9hG4bK-" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:a@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:proxy@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static void assertAnswered400(String answer, String reason, String callId) {
        assertTrue(answer, answer.startsWith("SIP/2.0 400 Bad Request (" + reason + ")\r\n"));
        assertTrue(answer, answer.contains("Call-ID: " + callId + "@127.0.0.1\r\n"));
    }

    private static String callId(RequestEvent e) {
        return ((javax.sip.header.CallIdHeader) e.getRequest().getHeader("Call-ID")).getCallId();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(what + " within 5 s", System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }
}
