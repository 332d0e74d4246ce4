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
        } finally {
            stack.stop();
        }
    }
}
