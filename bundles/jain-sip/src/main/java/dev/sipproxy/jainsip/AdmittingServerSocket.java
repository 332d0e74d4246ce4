package dev.sipproxy.jainsip;

import dev.sipproxy.jainsip.net.StackConnections;
import dev.sipproxy.jainsip.net.StackConnections.ObservedSocket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A listening TCP socket (also under the TLS listening point) whose accepted connections are
 * observed ({@link ObservedSocket}), have SO_KEEPALIVE, and are closed at once when their remote IP
 * already has as many connections as the per-address limit allows. accept() never throws for one
 * bad connection: an exception would end the stack's accept loop.
 */
final class AdmittingServerSocket extends ServerSocket {
    private final StackConnections connections;

    AdmittingServerSocket(int port, int backlog, InetAddress bindAddress, StackConnections connections) throws IOException {
        super(port, backlog, bindAddress);
        this.connections = connections;
    }

    @Override
    public Socket accept() throws IOException {
        while (true) {
            ObservedSocket s = connections.inbound();
            implAccept(s);
            ConfiguredNetworkLayer.keepAlive(s);
            if (connections.admit(s)) {
                return s;
            }
            ConnectionLimitLog.refused(s.getInetAddress().getHostAddress(), getLocalPort());
            try {
                s.close();
            } catch (IOException ignored) {
                // refused anyway
            }
        }
    }
}
