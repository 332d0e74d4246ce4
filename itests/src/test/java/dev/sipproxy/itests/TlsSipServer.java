package dev.sipproxy.itests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A SIP Server stand-in that listens for TLS on a loopback port and requires a client certificate
 * (so the proxy must present its own). It answers OPTIONS, INVITE and BYE with 200 (the INVITE's
 * with a Contact and the Record-Route copied) and records every request with the number of the
 * connection it came on.
 */
final class TlsSipServer implements AutoCloseable {
    /** A request as received: the message and the connection (1, 2, ...) it arrived on. */
    record Received(String message, int connection, String protocol, String peerSubject) {
        String method() {
            return SipStream.startLine(message).split(" ")[0];
        }
    }

    private final SSLServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionCount = new AtomicInteger();

    TlsSipServer(int port, SSLContext context) throws IOException {
        server = bind(context, port);
        server.setNeedClientAuth(true);
        Thread t = new Thread(this::accept, "tls-sip-server-" + port);
        t.setDaemon(true);
        t.start();
    }

    /** Binds with SO_REUSEADDR, retrying for a few seconds while the previous test's socket on the port goes away. */
    private static SSLServerSocket bind(SSLContext context, int port) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            try {
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                return s;
            } catch (java.net.BindException e) {
                s.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    List<Received> received() {
        return received;
    }

    List<Received> received(String method) {
        return received.stream().filter(r -> r.method().equals(method)).toList();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                connections.add(s);
                int n = connectionCount.incrementAndGet();
                Thread t = new Thread(() -> serve(s, n), "tls-sip-server-conn-" + n);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SSLSocket s, int connection) {
        try {
            s.startHandshake();
            String subject = ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            while (true) {
                String msg = SipStream.read(s.getInputStream(), false);
                if (msg.startsWith("SIP/2.0")) {
                    continue;
                }
                received.add(new Received(msg, connection, s.getSession().getProtocol(), subject));
                String method = SipStream.startLine(msg).split(" ")[0];
                if (method.equals("ACK")) {
                    continue;
                }
                String contact = method.equals("INVITE") ? "<sip:server@127.0.0.1:" + port() + ";transport=tls>" : null;
                synchronized (s) {
                    SipStream.write(s.getOutputStream(), SipStream.response(msg, 200, "OK", "srv" + connection, contact));
                }
            }
        } catch (IOException e) {
            // connection gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
