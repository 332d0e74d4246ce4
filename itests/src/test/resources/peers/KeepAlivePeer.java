import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A SIP Server stand-in over TCP that runs as its own process (java KeepAlivePeer.java PORT), so that
 * a test can freeze it with SIGSTOP. It answers requests but ACK with 200 and double-CRLF pings with
 * a CRLF pong, and prints one line per event ("PING", "REQUEST OPTIONS", ...) on stdout.
 */
public class KeepAlivePeer {
    public static void main(String[] args) throws IOException {
        ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getLoopbackAddress());
        System.out.println("LISTENING " + server.getLocalPort());
        while (true) {
            Socket s = server.accept();
            new Thread(() -> serve(s)).start();
        }
    }

    private static void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            StringBuilder b = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException();
                }
                b.append((char) c);
                if (b.toString().equals("\r\n\r\n")) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    System.out.println("PING");
                    b.setLength(0);
                } else if (b.length() > 4 && b.toString().endsWith("\r\n\r\n")) {
                    String msg = b.toString().replaceFirst("^(\r\n)+", "");
                    b.setLength(0);
                    if (!msg.startsWith("SIP/2.0")) {
                        String method = msg.substring(0, msg.indexOf(' '));
                        System.out.println("REQUEST " + method);
                        if (!method.equals("ACK")) {
                            out.write(ok(msg).getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.out.println("CLOSED");
        }
    }

    private static String ok(String request) {
        StringBuilder r = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            String l = line.toLowerCase();
            if (l.startsWith("via:") || l.startsWith("v:") || l.startsWith("from:") || l.startsWith("f:")
                    || l.startsWith("call-id:") || l.startsWith("i:") || l.startsWith("cseq:")) {
                r.append(line).append("\r\n");
            } else if (l.startsWith("to:") || l.startsWith("t:")) {
                r.append(line).append(l.contains("tag=") ? "" : ";tag=peer").append("\r\n");
            }
        }
        return r.append("Content-Length: 0\r\n\r\n").toString();
    }
}
