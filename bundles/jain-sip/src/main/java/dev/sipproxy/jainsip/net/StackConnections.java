package dev.sipproxy.jainsip.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCP connections of one stack (TLS ones included: their TLS layer reads through these), each
 * with the time bytes last arrived on it: those it opened, by remote address, and those it
 * accepted, counted per remote IP against a limit. The keep-alive sees a CRLF pong here (JAIN-SIP's
 * own pong deadline is cancelled on the channel that reads the socket, which, for connections it
 * opens itself, is not the channel its heartbeat arms), and idle connections are found here.
 */
public final class StackConnections {
    private static final Map<String, StackConnections> BY_STACK = new ConcurrentHashMap<>();

    private final Map<String, ObservedSocket> outgoing = new ConcurrentHashMap<>();
    private final Set<ObservedSocket> inbound = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> inboundPerAddress = new ConcurrentHashMap<>();
    private volatile int perAddressLimit = Integer.MAX_VALUE;

    private StackConnections() {
    }

    /** The connections of the stack named {@code stackName}. */
    public static StackConnections of(String stackName) {
        return BY_STACK.computeIfAbsent(stackName, k -> new StackConnections());
    }

    public static void forget(String stackName) {
        BY_STACK.remove(stackName);
    }

    /** Most connections accepted from one remote IP at once; more are closed as they arrive. */
    public void limitPerAddress(int limit) {
        this.perAddressLimit = limit;
    }

    /** The open connection the stack made to {@code ip:port}, or null. */
    public ObservedSocket outgoing(String ip, int port) {
        return outgoing.get(ip + ":" + port);
    }

    /** Every open connection, made or accepted. */
    public List<ObservedSocket> all() {
        List<ObservedSocket> all = new ArrayList<>(outgoing.values());
        all.addAll(inbound);
        return all;
    }

    /** A socket for a connection the stack accepts; {@link #admit} registers it. */
    public ObservedSocket inbound() {
        return new ObservedSocket(this, true);
    }

    /** Registers an accepted connection, or returns false when its remote IP is at the limit. */
    public boolean admit(ObservedSocket s) {
        AtomicInteger n = inboundPerAddress.computeIfAbsent(s.remoteIp(), k -> new AtomicInteger());
        if (n.incrementAndGet() > perAddressLimit) {
            n.decrementAndGet();
            return false;
        }
        inbound.add(s);
        s.admitted = true;
        return true;
    }

    private void closed(ObservedSocket s) {
        if (s.inbound) {
            if (s.admitted && inbound.remove(s)) {
                AtomicInteger n = inboundPerAddress.get(s.remoteIp());
                if (n != null) {
                    n.decrementAndGet();
                }
            }
        } else if (s.remoteKey != null) {
            outgoing.remove(s.remoteKey, s);
        }
    }

    /** A plain socket that notes when bytes last arrived (the stack sets SO_KEEPALIVE and TCP_NODELAY). */
    public static final class ObservedSocket extends Socket {
        private final StackConnections owner;
        private final boolean inbound;
        private final long createdNanos = System.nanoTime();
        /** Nothing received yet: a day before the socket was made. */
        private volatile long lastReceivedNanos = createdNanos - 86_400_000_000_000L;
        private volatile String remoteKey;
        private volatile boolean admitted;
        private InputStream in;

        ObservedSocket(StackConnections owner, boolean inbound) {
            this.owner = owner;
            this.inbound = inbound;
        }

        /** A socket for a connection the stack makes; {@link #connected()} registers it. */
        public static ObservedSocket outgoing(String stackName) {
            return new ObservedSocket(of(stackName), false);
        }

        /** Registers an outgoing socket once connected. */
        public void connected() {
            remoteKey = remoteIp() + ":" + getPort();
            owner.outgoing.put(remoteKey, this);
        }

        String remoteIp() {
            return getInetAddress().getHostAddress();
        }

        public boolean isInbound() {
            return inbound;
        }

        /** {@link System#nanoTime()} when bytes last arrived (a day before the socket was made, if none did). */
        public long lastReceivedNanos() {
            return lastReceivedNanos;
        }

        /** When bytes last arrived, or when the connection was made if none did since. */
        public long lastActivityNanos() {
            return Math.max(lastReceivedNanos, createdNanos);
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
            owner.closed(this);
            super.close();
        }
    }
}
