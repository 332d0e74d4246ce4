package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.config.ConfigValues;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Test;

/** The TLS listening point of a real stack, with key material from the configuration only. */
public class TlsListeningPointTest {
    private static Path dir;
    private static Path proxy;
    private static Path client;
    private static Path trust;

    private RunningStack stack;

    @BeforeClass
    public static void certificates() throws Exception {
        dir = Path.of("target", "tls-unit");
        proxy = TestCertificates.keyStore(dir, "proxy");
        client = TestCertificates.keyStore(dir, "client");
        Files.deleteIfExists(dir.resolve("trust.p12"));
        trust = TestCertificates.trustStore(dir.resolve("trust.p12"), proxy, client);
    }

    @After
    public void stop() {
        if (stack != null) {
            stack.stop();
        }
    }

    private TransportSettings settings(int tlsPort, String clientAuth) throws IOException {
        Map<String, Object> m = new HashMap<>();
        m.put("sip-address", "127.0.0.1");
        m.put("sip-port", Integer.toString(freePort()));
        m.put("sip-transports", "udp,tls");
        m.put("sip-tls-port", Integer.toString(tlsPort));
        m.put("tls-keystore", proxy.toString());
        m.put("tls-keystore-password", TestCertificates.PASSWORD);
        m.put("tls-truststore", trust.toString());
        m.put("tls-truststore-password", TestCertificates.PASSWORD);
        m.put("tls-client-auth", clientAuth);
        return TransportSettings.parse(new ConfigValues(m));
    }

    private int start(String clientAuth) throws Exception {
        int port = freePort();
        TransportSettings s = settings(port, clientAuth);
        TlsContext tls = new TlsContext();
        tls.use(TlsMaterial.load(s.tls().material()));
        stack = RunningStack.start(s, new AnsweringListener(), tls, null);
        assertNotNull("stack started", stack);
        assertEquals(port, stack.port(SipTransportType.TLS));
        return port;
    }

    private static SSLSocket connect(int port, Path keyStore, String... protocols) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trust)) {
            ts.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        if (keyStore != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                ks.load(in, TestCertificates.PASSWORD.toCharArray());
            }
            kmf.init(ks, TestCertificates.PASSWORD.toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyStore == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5000);
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        s.startHandshake();
        return s;
    }

    /**
     * Sends an OPTIONS (the stack keys a connection on its first SIP message and only then can
     * answer on it), then a double-CRLF ping, and reads the answer's first two bytes. With TLS 1.3 a
     * refused client certificate shows here, on the first read, not in startHandshake.
     */
    static String pingPong(java.net.Socket s) throws IOException {
        int local = s.getLocalPort();
        String options = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/" + (s instanceof SSLSocket ? "TLS" : "TCP") + " 127.0.0.1:" + local + ";branch=z9hG4bK-ping" + local
                + "\r\nMax-Forwards: 70\r\nFrom: <sip:t@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: ping" + local
                + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        s.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        String answer = readHeaders(s.getInputStream());
        assertTrue(answer, answer.startsWith("SIP/2.0 200"));
        s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        byte[] b = new byte[2];
        int n = s.getInputStream().readNBytes(b, 0, 2);
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    /** Reads up to the blank line that ends a message's headers (the tests' messages have no body). */
    static String readHeaders(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("closed after '" + b + "'");
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    public void tls13And12HandshakesAndCrlfPong() throws Exception {
        int port = start("none");
        try (SSLSocket s = connect(port, null)) {
            assertEquals("TLSv1.3", s.getSession().getProtocol());
            assertEquals("CN=proxy", ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName());
            assertEquals("\r\n", pingPong(s));
        }
        try (SSLSocket s = connect(port, null, "TLSv1.2")) {
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            assertEquals("\r\n", pingPong(s));
        }
    }

    @Test
    public void tcpCrlfPong() throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("sip-address", "127.0.0.1");
        int port = freePort();
        m.put("sip-port", Integer.toString(port));
        m.put("sip-transports", "tcp");
        stack = RunningStack.start(TransportSettings.parse(new ConfigValues(m)), new AnsweringListener(), new TlsContext(), null);
        try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(3000);
            assertEquals("\r\n", pingPong(s));
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] b = new byte[2];
                int n = s.getInputStream().readNBytes(b, 0, 2);
                assertEquals("ping " + (i + 2), "\r\n", new String(b, 0, n, StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    public void renegotiationClosesTheConnection() throws Exception {
        int port = start("none");
        try (SSLSocket s = connect(port, null, "TLSv1.2")) {
            assertEquals("\r\n", pingPong(s));
            boolean closed = false;
            try {
                s.startHandshake();  // on TLS 1.2: a renegotiation
                s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                while (s.getInputStream().read() >= 0) {
                    // a pong may come before the close
                }
                closed = true;
            } catch (java.net.SocketTimeoutException stillOpen) {
                closed = false;
            } catch (IOException closedByProxy) {
                closed = true;
            }
            assertTrue("the proxy closed the connection after the renegotiation", closed);
        }
    }

    @Test
    public void onlyTls12And13AreOffered() throws Exception {
        start("none");
        // what the stack's listening socket enables, whatever the stack set on it
        try (SSLSocket s = connect(stack.port(SipTransportType.TLS), null, "TLSv1.2")) {
            assertEquals("TLSv1.2", s.getSession().getProtocol());
        }
        assertEquals(java.util.List.of("TLSv1.3", "TLSv1.2"), StackProperties.TLS_PROTOCOLS);
    }

    @Test
    public void needClientAuthRefusesAClientWithoutCertificate() throws Exception {
        int port = start("need");
        try (SSLSocket s = connect(port, client)) {
            assertEquals("\r\n", pingPong(s));
        }
        try (SSLSocket s = connect(port, null)) {
            String pong = pingPong(s);
            fail("a client without certificate got through: '" + pong + "'");
        } catch (SSLHandshakeException | java.net.SocketException expected) {
            // refused
        } catch (javax.net.ssl.SSLException expected) {
            // refused (TLS 1.3: alert on first read)
        }
    }

    @Test
    public void sipServersAndEndpointsHaveTheirOwnClientCertificatePolicy() throws Exception {
        int port = freePort();
        Map<String, Object> m = new HashMap<>();
        m.put("sip-address", "127.0.0.1");
        m.put("sip-port", Integer.toString(freePort()));
        m.put("sip-transports", "tls");
        m.put("sip-tls-port", Integer.toString(port));
        m.put("tls-keystore", proxy.toString());
        m.put("tls-keystore-password", TestCertificates.PASSWORD);
        m.put("tls-truststore", trust.toString());
        m.put("tls-truststore-password", TestCertificates.PASSWORD);
        m.put("tls-client-auth", "none");
        m.put("tls-client-auth-sipservers", "need");
        TransportSettings s = TransportSettings.parse(new ConfigValues(m));
        TlsContext tls = new TlsContext();
        tls.use(TlsMaterial.load(s.tls().material()));
        java.util.concurrent.atomic.AtomicBoolean fromSipServer = new java.util.concurrent.atomic.AtomicBoolean();
        stack = RunningStack.start(s, new AnsweringListener(), tls, null, ip -> fromSipServer.get());
        // an endpoint needs no certificate
        try (SSLSocket c = connect(port, null)) {
            assertEquals("\r\n", pingPong(c));
        }
        // the same peer counted as a SIP Server must present one
        fromSipServer.set(true);
        try (SSLSocket c = connect(port, null)) {
            String pong = pingPong(c);
            fail("a SIP Server without certificate got through: '" + pong + "'");
        } catch (javax.net.ssl.SSLException | java.net.SocketException expected) {
            // refused
        }
        try (SSLSocket c = connect(port, client)) {
            assertEquals("\r\n", pingPong(c));
        }
    }

    @Test
    public void unreadableKeyStoreIsReported() throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("tls-keystore", proxy.toString());
        m.put("tls-keystore-password", "wrong");
        try {
            TlsMaterial.load(TransportSettings.parse(new ConfigValues(m)).tls().material());
            fail("a wrong password was accepted");
        } catch (TlsMaterial.Unusable e) {
            assertTrue(e.getMessage(), e.getMessage().contains("wrong password") && !e.getMessage().contains("wrong\""));
        }
        m.put("tls-keystore", dir.resolve("missing.p12").toString());
        try {
            TlsMaterial.load(TransportSettings.parse(new ConfigValues(m)).tls().material());
            fail("a missing file was accepted");
        } catch (TlsMaterial.Unusable e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no such file"));
        }
    }

    @Test
    public void unusableMaterialLeavesUdpUp() throws Exception {
        TransportSettings s = settings(freePort(), "none");
        stack = RunningStack.start(s, new AnsweringListener(), new TlsContext(), "tls-keystore x: no such file");
        assertNotNull(stack);
        assertTrue(stack.port(SipTransportType.UDP) > 0);
        assertEquals(-1, stack.port(SipTransportType.TLS));
        assertNull(null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Answers every request but ACK with 200, statelessly. */
    static final class AnsweringListener implements SipListener {
        @Override public void processRequest(RequestEvent e) {
            try {
                javax.sip.message.MessageFactory mf = javax.sip.SipFactory.getInstance().createMessageFactory();
                ((javax.sip.SipProvider) e.getSource()).sendResponse(mf.createResponse(200, e.getRequest()));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        @Override public void processResponse(ResponseEvent e) { }
        @Override public void processTimeout(TimeoutEvent e) { }
        @Override public void processIOException(IOExceptionEvent e) { }
        @Override public void processTransactionTerminated(TransactionTerminatedEvent e) { }
        @Override public void processDialogTerminated(DialogTerminatedEvent e) { }
    }
}
