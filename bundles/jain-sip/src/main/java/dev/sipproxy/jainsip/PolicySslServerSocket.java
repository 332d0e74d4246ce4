package dev.sipproxy.jainsip;

import dev.sipproxy.jainsip.net.StackTls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The TLS listening socket: plain connections accepted (and admitted, see
 * {@link AdmittingServerSocket}) and wrapped in TLS, server side, with the proxy's policy whatever
 * the stack sets. The stack's TLS processor first sets "need client auth" and then "want client
 * auth = false", which in the JDK clears "need" again; and it would enable the protocols of its own
 * properties. Here the client-certificate policy and the protocols of {@link StackTls} win; the
 * policy is chosen per connection: SIP Servers (by their IP) may be held to another than endpoints.
 */
final class PolicySslServerSocket extends SSLServerSocket {
    private final ServerSocket plain;
    private final StackTls tls;
    private volatile String[] cipherSuites;

    PolicySslServerSocket(ServerSocket plain, StackTls tls) throws IOException {
        this.plain = plain;
        this.tls = tls;
        this.cipherSuites = tls.context().getDefaultSSLParameters().getCipherSuites();
    }

    @Override
    public Socket accept() throws IOException {
        Socket s = plain.accept();
        try {
            SSLSocket ssl = (SSLSocket) tls.context().getSocketFactory()
                    .createSocket(s, s.getInetAddress().getHostAddress(), s.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.setEnabledProtocols(tls.protocols().toArray(String[]::new));
            ssl.setEnabledCipherSuites(cipherSuites);
            switch (tls.clientAuthFor(s.getInetAddress().getHostAddress())) {
                case NEED -> ssl.setNeedClientAuth(true);
                case WANT -> ssl.setWantClientAuth(true);
                default -> ssl.setWantClientAuth(false);
            }
            ssl.addHandshakeCompletedListener(new RenegotiationGuard());
            return ssl;
        } catch (IOException | IllegalArgumentException e) {
            s.close();
            throw new SocketException("TLS set-up of an accepted connection failed: " + e.getMessage());
        }
    }

    /**
     * No renegotiation: a connection whose second handshake completes is closed. (TLS 1.3 has none;
     * the JDK's own switch for TLS 1.2, jdk.tls.rejectClientInitiatedRenegotiation, is JVM-wide.)
     */
    private static final class RenegotiationGuard implements HandshakeCompletedListener {
        private final AtomicInteger handshakes = new AtomicInteger();

        @Override
        public void handshakeCompleted(HandshakeCompletedEvent event) {
            if (handshakes.incrementAndGet() > 1) {
                try {
                    event.getSocket().close();
                } catch (IOException e) {
                    // closed anyway
                }
            }
        }
    }

    // The stack's attempts to change the policy are ignored: the policy comes from the configuration.

    @Override
    public void setEnabledProtocols(String[] protocols) {
        // TLS 1.3 and 1.2 only, from StackTls
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        // from StackTls
    }

    @Override
    public void setWantClientAuth(boolean want) {
        // from StackTls
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        // from StackTls
    }

    @Override
    public void setUseClientMode(boolean mode) {
        // always the server side
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        cipherSuites = suites.clone();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return cipherSuites.clone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.context().getSupportedSSLParameters().getCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return tls.context().getSupportedSSLParameters().getProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return tls.protocols().toArray(String[]::new);
    }

    @Override
    public boolean getNeedClientAuth() {
        return tls.clientAuth() == StackTls.ClientAuth.NEED;
    }

    @Override
    public boolean getWantClientAuth() {
        return tls.clientAuth() == StackTls.ClientAuth.WANT;
    }

    @Override
    public boolean getUseClientMode() {
        return false;
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        // sessions are always created
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }

    @Override
    public SSLParameters getSSLParameters() {
        SSLParameters p = tls.context().getDefaultSSLParameters();
        p.setProtocols(getEnabledProtocols());
        p.setCipherSuites(getEnabledCipherSuites());
        return p;
    }

    // Socket plumbing is the plain socket's.

    @Override
    public void bind(SocketAddress endpoint) throws IOException {
        plain.bind(endpoint);
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        plain.bind(endpoint, backlog);
    }

    @Override
    public InetAddress getInetAddress() {
        return plain.getInetAddress();
    }

    @Override
    public int getLocalPort() {
        return plain.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return plain.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        plain.close();
    }

    @Override
    public ServerSocketChannel getChannel() {
        return null;
    }

    @Override
    public boolean isBound() {
        return plain.isBound();
    }

    @Override
    public boolean isClosed() {
        return plain.isClosed();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        plain.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws IOException {
        return plain.getSoTimeout();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        plain.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return plain.getReuseAddress();
    }

    @Override
    public String toString() {
        return "TLS " + plain;
    }
}
