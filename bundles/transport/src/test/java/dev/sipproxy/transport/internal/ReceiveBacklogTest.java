package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.jainsip.net.DatagramSocketKind;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The receive backlog (what overload control sheds new dialogs on) is how long the oldest datagram
 * no worker took up has waited; datagrams that waited over 500 ms are dropped unprocessed. And a
 * datagram that holds up the receiving thread, which processes what it receives while it keeps up,
 * does not stop the listening point: what arrives meanwhile goes to the workers.
 */
public class ReceiveBacklogTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger handled = new AtomicInteger();
    private RunningStack stack;
    private int port;

    /** Holds every worker thread that brings it a request until the test releases them. */
    private final SipListener slowListener = new SipListener() {
        @Override
        public void processRequest(RequestEvent event) {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.incrementAndGet();
        }

        @Override
        public void processResponse(ResponseEvent event) {
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
        }
    };

    @Before
    public void start() throws Exception {
        port = UdpTestStack.freePort();
        stack = UdpTestStack.start(port, slowListener);
    }

    @After
    public void stop() {
        release.countDown();
        stack.stop();
    }

    @Test
    public void itGrowsWhileTheWorkersAreBusyAndWhatWaitedOverHalfASecondIsDropped() throws Exception {
        assertEquals("nothing received, nothing waits", 0, stack.receiveBacklogMillis());
        assertEquals("nothing dropped", 0, stack.lastStaleDropMillis());
        long start = System.currentTimeMillis();
        int workers = Integer.parseInt(stack.stack().getConfigurationProperties().getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE"));
        // where it processes on receipt (BufferReusingUdpProcessor), the receiving thread, idle until
        // then, takes the first datagram itself
        int held = DatagramSocketKind.receivingThreadProcesses() ? workers + 1 : workers;
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < held + 5; i++) {
                send(peer, i);
            }
            long backlog = awaitBacklog(b -> b >= 600);
            assertTrue("every thread that processes busy (with the receiving thread, the relief thread received the rest):"
                    + " the 5 datagrams left wait, for 600 ms and more (" + backlog + ")", backlog >= 600);
            assertEquals("the busy threads handled nothing yet", 0, handled.get());
            release.countDown();
            assertEquals("the workers took up or dropped them all", 0, awaitBacklog(b -> b == 0));
            assertEquals("what the receiving thread and the workers held was handled", held, awaitHandled(held));
            send(peer, 99);
            assertEquals("the 5 stale ones were dropped; a fresh one is handled", held + 1, awaitHandled(held + 1));
            assertTrue("the drop is known: the proxy was behind since the test started", stack.behindSince(start));
            assertFalse("but not since now", stack.behindSince(System.currentTimeMillis() + 1));
        }
    }

    private void send(DatagramSocket peer, int i) throws Exception {
        byte[] b = message(i, peer.getLocalPort()).getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
    }

    /** The number handled once it reaches {@code n}, or after 2 s (enough for a stale one to show up wrongly). */
    private int awaitHandled(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (handled.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100); // a wrongly handled stale datagram would come right behind
        return handled.get();
    }

    /** The backlog once it satisfies {@code wanted}, or its last value after 5 s. */
    private long awaitBacklog(LongPredicate wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long b = stack.receiveBacklogMillis();
        while (!wanted.test(b) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            b = stack.receiveBacklogMillis();
        }
        return b;
    }

    private static String message(int i, int fromPort) {
        return "MESSAGE sip:user@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + fromPort + ";branch=z9hG4bK-backlog-" + i + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:peer@127.0.0.1>;tag=" + i + "\r\n"
                + "To: <sip:user@127.0.0.1>\r\n"
                + "Call-ID: backlog-" + i + "@127.0.0.1\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
