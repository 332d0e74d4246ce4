package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertNotNull;

import dev.sipproxy.api.config.ConfigValues;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Map;

import javax.sip.SipListener;

/** A real stack for tests, listening for SIP over UDP only on 127.0.0.1. */
final class UdpTestStack {
    private UdpTestStack() {
    }

    /** A UDP port on 127.0.0.1 that was free a moment ago. */
    static int freePort() throws SocketException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** The proxy's stack on 127.0.0.1:{@code port}, UDP only, handing what arrives to {@code listener}. */
    static RunningStack start(int port, SipListener listener) {
        Map<String, Object> m = new HashMap<>();
        m.put("sip-address", "127.0.0.1");
        m.put("sip-port", Integer.toString(port));
        m.put("sip-transports", "udp");
        RunningStack stack = RunningStack.start(TransportSettings.parse(new ConfigValues(m)), listener, new TlsContext(), null);
        assertNotNull("the stack started on UDP port " + port, stack);
        return stack;
    }
}
