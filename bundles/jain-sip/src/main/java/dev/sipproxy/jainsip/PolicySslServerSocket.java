package dev.sipproxy.jainsip;

import dev.sipproxy.jainsip.net.StackTls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The TLS listening socket, holding the proxy's policy whatever the stack sets on it. The stack's
 * TLS processor first sets "need client auth" and then "want client auth = false", which in the JDK
 * clears "need" again; and it enables the protocols and cipher suites of its own properties. Here the
 * client-certificate policy and the protocols of {@link StackTls} win, and every accepted connection
 * gets SO_KEEPALIVE.
 */
final class PolicySslServerSocket extends SSLServerSocket {
    private final SSLServerSocket delegate;
    private final StackTls tls;

    PolicySslServerSocket(SSLServerSocket delegate, StackTls tls) throws IOException {
        this.delegate = delegate;
        this.tls = tls;
        applyPolicy();
    }

    private void applyPolicy() {
        delegate.setEnabledProtocols(tls.protocols().toArray(String[]::new));
        switch (tls.clientAuth()) {
            case NEED -> delegate.setNeedClientAuth(true);
            case WANT -> delegate.setWantClientAuth(true);
            default -> delegate.setWantClientAuth(false);
        }
    }

    @Override
    public Socket accept() throws IOException {
        Socket s = delegate.accept();
        ConfiguredNetworkLayer.keepAlive(s);
        if (s instanceof SSLSocket ssl) {
            // the per-socket settings follow the server socket's, set again in case the stack changed them since
            ssl.setEnabledProtocols(tls.protocols().toArray(String[]::new));
            switch (tls.clientAuth()) {
                case NEED -> ssl.setNeedClientAuth(true);
                case WANT -> ssl.setWantClientAuth(true);
                default -> ssl.setWantClientAuth(false);
            }
        }
        return s;
    }

    // The stack's attempts to change the policy are ignored: the policy comes from the configuration.

    @Override
    public void setEnabledProtocols(String[] protocols) {
        applyPolicy();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        applyPolicy();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        applyPolicy();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        applyPolicy();
    }

    // Everything else is the delegate's.

    @Override
    public String[] getEnabledCipherSuites() {
        return delegate.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        delegate.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return delegate.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return delegate.getEnabledProtocols();
    }

    @Override
    public boolean getNeedClientAuth() {
        return delegate.getNeedClientAuth();
    }

    @Override
    public boolean getWantClientAuth() {
        return delegate.getWantClientAuth();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        delegate.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return delegate.getUseClientMode();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        delegate.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return delegate.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return delegate.getSSLParameters();
    }

    @Override
    public void bind(SocketAddress endpoint) throws IOException {
        delegate.bind(endpoint);
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        delegate.bind(endpoint, backlog);
    }

    @Override
    public InetAddress getInetAddress() {
        return delegate.getInetAddress();
    }

    @Override
    public int getLocalPort() {
        return delegate.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return delegate.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public ServerSocketChannel getChannel() {
        return delegate.getChannel();
    }

    @Override
    public boolean isBound() {
        return delegate.isBound();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        delegate.setSoTimeout(timeout);
    }

    @Override
    public synchronized int getSoTimeout() throws IOException {
        return delegate.getSoTimeout();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        delegate.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return delegate.getReuseAddress();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
