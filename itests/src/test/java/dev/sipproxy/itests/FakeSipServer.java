package dev.sipproxy.itests;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP Server stand-in on a loopback UDP port for conformance tests: it records every request the
 * proxy forwards (by Call-ID) and answers each one but ACK with 200 OK (with a To tag and a Contact),
 * so that the proxy's transactions complete.
 */
final class FakeSipServer implements AutoCloseable {
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*(\\S+)");
    private static final Pattern COPIED = Pattern.compile("(?i)^(via|v|from|f|to|t|call-id|i|cseq)[ \\t]*:.*");

    private final DatagramSocket socket;
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();
    private final Thread thread;

    FakeSipServer(int port) throws SocketException {
        socket = new DatagramSocket(port, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "fake-sip-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** Start lines of the requests received with this Call-ID. */
    List<String> received(String callId) {
        return received.getOrDefault(callId, List.of());
    }

    static String callId(String message) {
        Matcher m = CALL_ID.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    private void serve() {
        byte[] buf = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            String msg = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (msg.startsWith("SIP/2.0")) {
                continue;
            }
            String first = msg.substring(0, Math.max(0, msg.indexOf("\r\n")));
            String callId = callId(msg);
            received.computeIfAbsent(callId == null ? "" : callId, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(first);
            if (first.startsWith("ACK ")) {
                continue;
            }
            StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
            for (String line : headerLines(msg)) {
                if (COPIED.matcher(line).matches()) {
                    ok.append(line);
                    String lower = line.toLowerCase(java.util.Locale.ROOT);
                    if ((lower.startsWith("to") || lower.startsWith("t:") || lower.startsWith("t ")) && !lower.contains("tag=")) {
                        ok.append(";tag=fake");
                    }
                    ok.append("\r\n");
                }
            }
            ok.append("Contact: <sip:fake@127.0.0.1:").append(socket.getLocalPort()).append(">\r\nContent-Length: 0\r\n\r\n");
            byte[] out = ok.toString().getBytes(StandardCharsets.ISO_8859_1);
            try {
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                // the proxy went away
            }
        }
    }

    /** Unfolded header lines. */
    private static List<String> headerLines(String msg) {
        int end = msg.indexOf("\r\n\r\n");
        String[] raw = (end < 0 ? msg : msg.substring(0, end)).split("\r\n");
        List<String> out = new ArrayList<>();
        for (int i = 1; i < raw.length; i++) {
            if ((raw[i].startsWith(" ") || raw[i].startsWith("\t")) && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + raw[i].trim());
            } else {
                out.add(raw[i]);
            }
        }
        return out;
    }

    @Override
    public void close() {
        socket.close();
    }
}
