package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.jainsip.net.StackConnections;

import gov.nist.javax.sip.ListeningPointExt;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.sip.ListeningPoint;

import org.junit.Test;

/** Keep-alive on a real stack: pings out, pongs seen, a stale connection closed without harm to the listener. */
public class KeepAliveStackTest {

    @Test
    public void pongIsSeenAndClosingAStaleConnectionLeavesTheListenerUp() throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("sip-address", "127.0.0.1");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        m.put("sip-port", Integer.toString(port));
        m.put("sip-transports", "tcp");
        RunningStack stack = RunningStack.start(TransportSettings.parse(new ConfigValues(m)),
                new TlsListeningPointTest.AnsweringListener(), new TlsContext(), null);
        assertNotNull(stack);
        try (ServerSocket peer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ListeningPointExt lp = (ListeningPointExt) stack.provider().getListeningPoints()[0];
            assertEquals(ListeningPoint.TCP, lp.getTransport().toUpperCase());
            long sent = System.nanoTime();
            lp.sendHeartbeat("127.0.0.1", peer.getLocalPort());
            try (Socket in = peer.accept()) {
                InputStream is = in.getInputStream();
                byte[] ping = is.readNBytes(4);
                assertEquals("\r\n\r\n", new String(ping, StandardCharsets.US_ASCII));
                StackConnections.ObservedSocket out = stack.connections().outgoing("127.0.0.1", peer.getLocalPort());
                assertNotNull("the stack's connection is known", out);
                assertTrue("nothing received yet", out.lastReceivedNanos() - sent < 0);
                in.getOutputStream().write("\r\n".getBytes(StandardCharsets.US_ASCII));
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (out.lastReceivedNanos() - sent < 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertTrue("the pong was seen", out.lastReceivedNanos() - sent >= 0);
                out.close();
                assertEquals(-1, is.read());
            }
            // the listening point still takes connections and answers
            for (int i = 0; i < 3; i++) {
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    c.setSoTimeout(3000);
                    assertEquals("\r\n", TlsListeningPointTest.pingPong(c));
                    c.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("second ping", "\r\n", new String(c.getInputStream().readNBytes(2), StandardCharsets.US_ASCII));
                }
            }
        } finally {
            stack.stop();
        }
    }
}
