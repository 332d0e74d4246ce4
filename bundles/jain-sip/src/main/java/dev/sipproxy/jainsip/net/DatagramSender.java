package dev.sipproxy.jainsip.net;

import java.io.IOException;
import java.net.InetAddress;

/** A UDP listening point that sends a datagram from its own socket, as the stack sends its responses. */
public interface DatagramSender {

    void sendDatagram(byte[] message, InetAddress to, int port) throws IOException;
}
