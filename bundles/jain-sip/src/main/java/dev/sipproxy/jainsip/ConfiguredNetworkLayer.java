package dev.sipproxy.jainsip;

import dev.sipproxy.jainsip.net.StackConnections;
import dev.sipproxy.jainsip.net.StackConnections.ObservedSocket;
import dev.sipproxy.jainsip.net.StackTls;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The stack's sockets ({@code gov.nist.javax.sip.NETWORK_LAYER}). TCP and TLS sockets get
 * SO_KEEPALIVE; TLS sockets take their keys, trust, protocols and client-certificate policy from the
 * {@link StackTls} the transport registered under this stack's name, never from the JVM-wide
 * {@code javax.net.ssl.*} properties. The stack loads this class by name through its own class
 * loader, so it lives in the JAIN-SIP bundle.
 */
public final class ConfiguredNetworkLayer implements NetworkLayer {
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private volatile String stackName;

    public ConfiguredNetworkLayer() {
        // created by the stack
    }

    @Override
    public void setSipStack(SipStackImpl sipStack) {
        this.stackName = sipStack.getStackName();
    }

    private StackTls tls() throws IOException {
        StackTls tls = StackTls.of(stackName);
        if (tls == null) {
            throw new IOException("no TLS configuration for stack " + stackName);
        }
        return tls;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new AdmittingServerSocket(port, backlog, bindAddress, StackConnections.of(stackName));
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        StackTls tls = tls();
        return new PolicySslServerSocket(new AdmittingServerSocket(port, backlog, bindAddress, StackConnections.of(stackName)), tls);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return createSocket(address, port, null, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return createSocket(address, port, myAddress, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return connect(address, port, myAddress, myPort);
    }

    /** A connected plain socket, registered in {@link StackConnections}. */
    private ObservedSocket connect(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        ObservedSocket socket = ObservedSocket.outgoing(stackName);
        try {
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
            if (myAddress != null) {
                socket.bind(new InetSocketAddress(myAddress, myPort));
            }
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
            socket.connected();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        StackTls tls = tls();
        // TLS over an observed plain connection, so that keep-alive sees the pongs arrive
        ObservedSocket plain = connect(address, port, myAddress, 0);
        try {
            SSLSocket socket = (SSLSocket) tls.context().getSocketFactory().createSocket(plain, address.getHostAddress(), port, true);
            socket.setEnabledProtocols(tls.protocols().toArray(String[]::new));
            return socket;
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return new DatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress) throws SocketException {
        return new DatagramSocket(port, bindAddress);
    }

    /** SO_KEEPALIVE and TCP_NODELAY on an accepted socket; a peer that already reset it is the stack's business. */
    static void keepAlive(Socket s) {
        try {
            s.setKeepAlive(true);
            s.setTcpNoDelay(true);
        } catch (SocketException gone) {
            // the stack's read fails next and cleans up; an exception from accept() would stop its accept loop
        }
    }
}
