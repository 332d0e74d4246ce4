package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertNotNull;

import dev.sipproxy.api.config.ConfigValues;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.sip.SipListener;

import org.junit.rules.ExternalResource;

/**
 * A test rule: the proxy's stack listening for SIP over TCP only on a free port of 127.0.0.1, and a
 * peer beside it with one connection of each direction: one it opens to the stack (to send requests
 * and read their responses) and one the stack opens to the peer's listening socket (requests the
 * stack sends, and the peer's responses). Reads have a 5 s deadline; all is closed after the test.
 */
final class TcpStackAndPeer extends ExternalResource {
    private final SipListener listener;
    private RunningStack stack;
    private int stackPort;
    private ServerSocket peerListener;
    private Socket toStack;
    private Socket fromStack;

    TcpStackAndPeer(SipListener listener) {
        this.listener = listener;
    }

    @Override
    protected void before() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            stackPort = probe.getLocalPort();
        }
        Map<String, Object> m = new HashMap<>();
        m.put("sip-address", "127.0.0.1");
        m.put("sip-port", Integer.toString(stackPort));
        m.put("sip-transports", "tcp");
        stack = RunningStack.start(TransportSettings.parse(new ConfigValues(m)), listener, new TlsContext(), null);
        assertNotNull("the stack started on TCP port " + stackPort, stack);
        peerListener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        peerListener.setSoTimeout(5000);
    }

    @Override
    protected void after() {
        closeQuietly(toStack);
        closeQuietly(fromStack);
        closeQuietly(peerListener);
        stack.stop();
    }

    RunningStack stack() {
        return stack;
    }

    int stackPort() {
        return stackPort;
    }

    /** The port of the peer's listening socket, where the stack's requests go. */
    int peerPort() {
        return peerListener.getLocalPort();
    }

    /** Sends SIP text over the peer's connection to the stack (opened on first use). */
    void sendToStack(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        sendRawToStack(bytes, 0, bytes.length);
    }

    /** Sends bytes as they are (part of a message, or of several) over the peer's connection to the stack. */
    void sendRawToStack(byte[] bytes, int off, int len) throws IOException {
        if (toStack == null) {
            toStack = new Socket(InetAddress.getLoopbackAddress(), stackPort);
            toStack.setSoTimeout(5000);
        }
        toStack.getOutputStream().write(bytes, off, len);
        toStack.getOutputStream().flush();
    }

    /** The next message the stack sends back over the peer's connection to it, within 5 s. */
    String receiveFromStack() throws IOException {
        return readMessage(toStack.getInputStream());
    }

    /** The next message the stack sends over its connection to the peer (accepted on first use), within 5 s. */
    String receiveOnPeer() throws IOException {
        if (fromStack == null) {
            fromStack = peerListener.accept();
            fromStack.setSoTimeout(5000);
        }
        return readMessage(fromStack.getInputStream());
    }

    /** Answers over the connection the stack opened to the peer. */
    void replyOnPeer(String message) throws IOException {
        fromStack.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
        fromStack.getOutputStream().flush();
    }

    /** One message of the stream: the head up to the empty line, then Content-Length bytes of body. */
    private static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (!endsWithEmptyLine(head)) {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("the stack closed the connection; read so far: " + head);
                }
                if (head.size() > 0 || (b != '\r' && b != '\n')) {
                    head.write(b);
                }
            }
            String text = head.toString(StandardCharsets.US_ASCII);
            byte[] body = in.readNBytes(contentLength(text));
            return text + new String(body, StandardCharsets.US_ASCII);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no whole message within 5 s; read so far: " + head, e);
        }
    }

    private static boolean endsWithEmptyLine(ByteArrayOutputStream head) {
        byte[] b = head.toByteArray();
        int n = b.length;
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim();
                if (name.equalsIgnoreCase("Content-Length") || name.equals("l")) {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                }
            }
        }
        return 0;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing after the test; nothing to report
            }
        }
    }
}
