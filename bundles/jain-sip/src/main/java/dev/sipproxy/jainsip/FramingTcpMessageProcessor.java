package dev.sipproxy.jainsip;

import dev.sipproxy.jainsip.net.QueuedReceiver;
import gov.nist.core.CommonLogger;
import gov.nist.core.HostPort;
import gov.nist.core.StackLogger;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.TCPMessageProcessor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * The stack's TCP listening point with connections read by {@link FramingTcpMessageChannel}: the
 * same accept loop, connection limit and connection cache as the stack's own processor, only its
 * channels are this bundle's. As a {@link QueuedReceiver} it reports how far behind its most
 * loaded connection is, for overload control.
 */
final class FramingTcpMessageProcessor extends TCPMessageProcessor implements QueuedReceiver {
    private static final StackLogger LOGGER = CommonLogger.getLogger(FramingTcpMessageProcessor.class);
    private static final String READ_TIMEOUT = "gov.nist.javax.sip.READ_TIMEOUT";
    private static final String MAX_CONNECTIONS = "gov.nist.javax.sip.MAX_CONNECTIONS";

    private final long readTimeoutMillis;
    /** Most accepted connections open at once; beyond it the accept loop waits (-1: no limit). */
    private final long maxConnections;

    FramingTcpMessageProcessor(InetAddress address, SIPTransactionStack stack, int port) {
        super(address, stack, port);
        this.readTimeoutMillis = Math.max(0, StackConfiguration.wholeNumber(stack, READ_TIMEOUT, 0));
        this.maxConnections = StackConfiguration.wholeNumber(stack, MAX_CONNECTIONS, -1);
    }

    /** The stack's READ_TIMEOUT: how long a begun message may take to arrive whole; 0: for ever. */
    long readTimeoutMillis() {
        return readTimeoutMillis;
    }

    /**
     * The accept loop, as the stack's: waits while max-connections accepted connections are open. It
     * ends when the listening socket is closed (the listening point stops), and only then.
     */
    @Override
    public void run() {
        while (isRunning) {
            try {
                synchronized (this) {
                    while (maxConnections > 0 && nConnections >= maxConnections) {
                        wait();
                        if (!isRunning) {
                            return;
                        }
                    }
                    nConnections++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Socket socket = accept();
            if (socket != null) {
                start(socket);
            }
        }
    }

    /** The next connection; null (its place given back) when accepting failed or the socket closed. */
    private Socket accept() {
        try {
            return sock.accept();
        } catch (IOException e) {
            releaseConnection();
            if (sock.isClosed()) {
                isRunning = false;
                return null;
            }
            LOGGER.logWarning("TCP accept on " + getIpAddress().getHostAddress() + ":" + getPort() + " failed: " + e);
            pause(); // the error may last (no file descriptors left): do not spin on it
            return null;
        }
    }

    private void start(Socket socket) {
        try {
            FramingTcpMessageChannel channel = FramingTcpMessageChannel.accepted(socket, sipStack, this,
                    "TCPMessageChannelThread-" + socket.getInetAddress().getHostAddress() + ":" + socket.getPort());
            incomingMessageChannels.put(channel.getKey(), channel);
        } catch (IOException e) {
            releaseConnection();
            try {
                socket.close();
            } catch (IOException ignored) {
                // going anyway
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized MessageChannel createMessageChannel(HostPort target) throws IOException {
        return createMessageChannel(target.getInetAddress(), target.getPort());
    }

    @Override
    public synchronized MessageChannel createMessageChannel(InetAddress host, int port) throws IOException {
        String key = MessageChannel.getKey(host, port, "TCP");
        ConnectionOrientedMessageChannel cached = messageChannels.get(key);
        if (cached != null) {
            return cached;
        }
        FramingTcpMessageChannel channel = new FramingTcpMessageChannel(host, port, sipStack, this);
        messageChannels.put(key, channel);
        channel.markCached();
        return channel;
    }

    synchronized void readerStarted() {
        useCount++;
    }

    /** A connection's reader has ended: the channel leaves the caches, an accepted one frees its place. */
    void readerEnded(FramingTcpMessageChannel channel, boolean accepted) {
        remove(channel);
        synchronized (this) {
            useCount--;
        }
        if (accepted) {
            releaseConnection();
        }
    }

    private synchronized void releaseConnection() {
        nConnections--;
        notifyAll();
    }

    @Override
    public boolean datagrams() {
        return false;
    }

    @Override
    public long oldestWaitMillis(long nowMillis) {
        long longest = 0;
        for (ConnectionOrientedMessageChannel c : incomingMessageChannels.values()) {
            longest = Math.max(longest, backlog(c));
        }
        for (ConnectionOrientedMessageChannel c : messageChannels.values()) {
            longest = Math.max(longest, backlog(c));
        }
        return longest;
    }

    private static long backlog(ConnectionOrientedMessageChannel channel) {
        return channel instanceof FramingTcpMessageChannel framing ? framing.backlogMillis() : 0;
    }

    /** Never: nothing received over TCP is dropped for waiting. */
    @Override
    public long lastDropMillis() {
        return 0;
    }
}
