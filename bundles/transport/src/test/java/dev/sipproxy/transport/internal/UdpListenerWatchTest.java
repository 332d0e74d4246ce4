package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;

import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.transport.ListeningPointInfo;

import java.util.List;
import java.util.Set;

import org.junit.Test;

public class UdpListenerWatchTest {
    private static final ListeningPointInfo UDP = new ListeningPointInfo(SipTransportType.UDP, "127.0.0.1", 5060);
    private static final ListeningPointInfo TCP = new ListeningPointInfo(SipTransportType.TCP, "127.0.0.1", 5060);
    private static final ListeningPointInfo UDP_ALL = new ListeningPointInfo(SipTransportType.UDP, "0.0.0.0", 5070);

    @Test
    public void aUdpListeningPointWithItsReceiveThreadIsFine() {
        assertEquals(List.of(), UdpListenerWatch.deaf(List.of(UDP, TCP),
                Set.of("MessageProcessorThread-UDP-127.0.0.1/5060", "MessageProcessorThread-TCP-127.0.0.1/5060")));
    }

    @Test
    public void aUdpListeningPointWhoseReceiveThreadEndedIsDeaf() {
        assertEquals(List.of(UDP), UdpListenerWatch.deaf(List.of(UDP, TCP),
                Set.of("MessageProcessorThread-TCP-127.0.0.1/5060", "sip-proxy-1-UDPMessageChannelThread-0")));
    }

    @Test
    public void onlyUdpIsWatchedAndEachPortOnItsOwn() {
        assertEquals(List.of(UDP_ALL), UdpListenerWatch.deaf(List.of(UDP, TCP, UDP_ALL),
                Set.of("MessageProcessorThread-UDP-127.0.0.1/5060")));
    }

    @Test
    public void theRealStacksThreadNameMatches() throws Exception {
        // a running stack on a free port, as the transport starts it
        java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
        int port = probe.getLocalPort();
        probe.close();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("javax.sip.STACK_NAME", "udp-watch-test");
        javax.sip.SipStack stack = javax.sip.SipFactory.getInstance().createSipStack(p);
        try {
            stack.createListeningPoint("127.0.0.1", port, "udp");
            ListeningPointInfo lp = new ListeningPointInfo(SipTransportType.UDP, "127.0.0.1", port);
            Set<String> names = new java.util.HashSet<>();
            Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
            assertEquals(List.of(), UdpListenerWatch.deaf(List.of(lp), names));
            awaitReceiving("MessageProcessorThread-UDP-127.0.0.1/" + port);
        } finally {
            stack.stop();
        }
    }

    /**
     * Waits (5 s at most) until the named thread is in a datagram receive. The stock stack's receive
     * thread makes its list of channels only once it runs, and a stop before that fails in the
     * stack (a NullPointerException, seen in a fresh-clone CI run).
     */
    private static void awaitReceiving(String threadName) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                if (e.getKey().getName().equals(threadName)) {
                    for (StackTraceElement frame : e.getValue()) {
                        if (frame.getMethodName().startsWith("receive")) {
                            return;
                        }
                    }
                }
            }
            Thread.sleep(10);
        }
        org.junit.Assert.fail(threadName + " did not reach its receive within 5 s");
    }
}
