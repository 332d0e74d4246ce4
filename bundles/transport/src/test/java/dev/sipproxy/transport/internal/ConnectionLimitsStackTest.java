package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.config.ConfigValues;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

import org.junit.After;
import org.junit.Test;

/** Per-address connection limit and idle close on a real stack. */
public class ConnectionLimitsStackTest {
    private RunningStack stack;
    private int port;

    private void start(String perAddress, String idleSeconds) throws IOException {
        Map<String, Object> m = new HashMap<>();
        m.put("sip-address", "127.0.0.1");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        m.put("sip-port", Integer.toString(port));
        m.put("sip-transports", "tcp");
        m.put("max-connections-per-address", perAddress);
        m.put("idle-timeout", idleSeconds);
        TransportSettings settings = TransportSettings.parse(new ConfigValues(m));
        stack = RunningStack.start(settings, new TlsListeningPointTest.AnsweringListener(), new TlsContext(), null);
        assertNotNull(stack);
    }

    @After
    public void stop() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    public void aThirdConnectionFromOneAddressIsClosedAndALaterOneAdmitted() throws Exception {
        start("2", "0");
        try (Socket a = open(); Socket b = open(); Socket c = open()) {
            assertEquals("\r\n", TlsListeningPointTest.pingPong(a));
            assertEquals("\r\n", TlsListeningPointTest.pingPong(b));
            assertEquals("the third is closed at once", -1, readOrEnd(c));
            a.close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            boolean admitted = false;
            while (!admitted && System.nanoTime() < deadline) {
                try (Socket d = open()) {
                    admitted = "\r\n".equals(TlsListeningPointTest.pingPong(d));
                } catch (IOException refusedStill) {
                    Thread.sleep(50);
                }
            }
            assertTrue("a connection is admitted again once one closed", admitted);
        }
    }

    @Test
    public void anIdleConnectionIsClosed() throws Exception {
        start("64", "1");
        IdleConnections idle = new IdleConnections(stack, 1);
        try (Socket a = open()) {
            assertEquals("\r\n", TlsListeningPointTest.pingPong(a));
            a.setSoTimeout(5000);
            long t0 = System.nanoTime();
            assertEquals("closed by the proxy", -1, readOrEnd(a));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue("closed after " + ms + " ms", ms >= 900 && ms < 4000);
        } finally {
            idle.stop();
        }
    }

    private Socket open() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(3000);
        return s;
    }

    private static int readOrEnd(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
