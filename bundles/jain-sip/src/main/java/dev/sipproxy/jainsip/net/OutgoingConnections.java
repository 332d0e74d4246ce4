package dev.sipproxy.jainsip.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TCP connections a stack opened (TLS ones included: their TLS layer reads through these), by
 * remote address, each with the time bytes last arrived on it. The keep-alive sees a CRLF pong
 * here: JAIN-SIP's own pong deadline is cancelled on the channel that reads the socket, which, for
 * connections it opens itself, is not the channel its heartbeat arms.
 */
public final class OutgoingConnections {
    private static final Map<String, Map<String, ObservedSocket>> BY_STACK = new ConcurrentHashMap<>();

    private OutgoingConnections() {
    }

    /** The open connection of stack {@code stackName} to {@code ip:port}, or null. */
    public static ObservedSocket find(String stackName, String ip, int port) {
        Map<String, ObservedSocket> m = BY_STACK.get(stackName);
        return m == null ? null : m.get(ip + ":" + port);
    }

    public static void forget(String stackName) {
        BY_STACK.remove(stackName);
    }

    static void opened(String stackName, ObservedSocket s) {
        BY_STACK.computeIfAbsent(stackName, k -> new ConcurrentHashMap<>()).put(s.remoteKey(), s);
    }

    static void closed(String stackName, ObservedSocket s) {
        Map<String, ObservedSocket> m = BY_STACK.get(stackName);
        if (m != null) {
            m.remove(s.remoteKey(), s);
        }
    }

    /** A plain socket that notes when bytes last arrived (SO_KEEPALIVE, TCP_NODELAY on). */
    public static final class ObservedSocket extends Socket {
        private final String stackName;
        /** Nothing received yet: a day before the socket was made. */
        private volatile long lastReceivedNanos = System.nanoTime() - 86_400_000_000_000L;
        private volatile String remoteKey;
        private InputStream in;

        public ObservedSocket(String stackName) {
            this.stackName = stackName;
        }

        /** Registers the socket once connected. */
        public void connected() {
            remoteKey = getInetAddress().getHostAddress() + ":" + getPort();
            opened(stackName, this);
        }

        String remoteKey() {
            return remoteKey;
        }

        /** {@link System#nanoTime()} when bytes last arrived (a day before the socket was made, if none did). */
        public long lastReceivedNanos() {
            return lastReceivedNanos;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            lastReceivedNanos = System.nanoTime();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = super.read(buf, off, len);
                        if (n > 0) {
                            lastReceivedNanos = System.nanoTime();
                        }
                        return n;
                    }
                };
            }
            return in;
        }

        @Override
        public synchronized void close() throws IOException {
            if (remoteKey != null) {
                closed(stackName, this);
            }
            super.close();
        }
    }
}
