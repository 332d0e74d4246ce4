package dev.sipproxy.transport.internal;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import javax.sip.SipListener;

import org.junit.rules.ExternalResource;

/**
 * A test rule: the proxy's stack on a free UDP port of 127.0.0.1 ({@link UdpTestStack}) and a peer
 * socket beside it that sends and receives raw SIP text with a 5 s deadline; both closed after the test.
 */
final class UdpStackAndPeer extends ExternalResource {
    private final SipListener listener;
    private RunningStack stack;
    private DatagramSocket peer;
    private int stackPort;

    UdpStackAndPeer(SipListener listener) {
        this.listener = listener;
    }

    @Override
    protected void before() throws Exception {
        stackPort = UdpTestStack.freePort();
        stack = UdpTestStack.start(stackPort, listener);
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(5000);
    }

    @Override
    protected void after() {
        peer.close();
        stack.stop();
    }

    RunningStack stack() {
        return stack;
    }

    int stackPort() {
        return stackPort;
    }

    int peerPort() {
        return peer.getLocalPort();
    }

    /** Sends SIP text from the peer to the stack. */
    void send(String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), stackPort));
    }

    /** The next datagram the peer receives, within 5 s. */
    DatagramPacket receivePacket() throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        try {
            peer.receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("nothing reached the peer within 5 s", e);
        }
        return p;
    }

    /** The text of the next datagram the peer receives, within 5 s. */
    String receive() throws Exception {
        DatagramPacket p = receivePacket();
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
    }
}
