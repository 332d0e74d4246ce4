package dev.sipproxy.jainsip;

import dev.sipproxy.jainsip.net.DatagramSender;
import dev.sipproxy.jainsip.net.NewDialogScreen;
import dev.sipproxy.jainsip.net.NewDialogScreens;
import dev.sipproxy.jainsip.net.QueuedReceiver;
import gov.nist.core.CommonLogger;
import gov.nist.core.StackLogger;
import gov.nist.core.ThreadAuditor;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.LinkedList;

/**
 * The stack's UDP listening point, receiving into one buffer.
 *
 * <p>JAIN-SIP's receive loop allocates a new buffer of the maximum message size (16 KiB here) for
 * every datagram, of which a SIP message fills a few hundred bytes: seven per call, some 40 % of
 * everything the proxy allocated, and so of its young collections. This loop, the same in every
 * other respect (the stack's queue and its pool of worker threads, which parse and process),
 * receives into one buffer and queues an exact-size copy. Only this listening point's one receiving
 * thread touches the buffer. A socket closed under a running listening point ends the thread (the
 * stack's loop spun on the error): the transport's watch then restarts the stack. The queue drops
 * what waited longer than {@value #MAX_WAIT_PROPERTY} milliseconds (see {@link UdpReceiveQueue}).
 * With a {@link NewDialogScreen}, new dialogs are admitted or refused before they are queued
 * ({@link NewDialogScreening}), and the admitted ones wait behind the calls in progress.
 */
final class BufferReusingUdpProcessor extends UDPMessageProcessor
        implements QueuedReceiver, DatagramSender, NewDialogScreens.ScreenedReceiver {
    private static final StackLogger LOGGER = CommonLogger.getLogger(BufferReusingUdpProcessor.class);
    private static final String POOL_SIZE = "gov.nist.javax.sip.THREAD_POOL_SIZE";
    /** The stack property: how long a received datagram may wait for a worker thread; 0: for ever. */
    static final String MAX_WAIT_PROPERTY = "dev.sipproxy.UDP_MAX_QUEUE_WAIT_MILLIS";
    /** Without the property: SIP's T1, when the sender retransmits. */
    static final long DEFAULT_MAX_WAIT_MILLIS = 500;
    private static final long DROP_REPORT_EVERY_MILLIS = 10_000;

    private final NewDialogScreening screening = new NewDialogScreening(System::currentTimeMillis);

    BufferReusingUdpProcessor(InetAddress address, SIPTransactionStack stack, int port) throws IOException {
        super(address, stack, port);
        // before start(): the workers take from this queue (the stack's congestion auditor, which would
        // hold the old one, is off: the proxy sets CONGESTION_CONTROL_TIMEOUT 0)
        messageQueue = new UdpReceiveQueue(maxWaitMillis(), System::currentTimeMillis, this::reportDropped,
                DROP_REPORT_EVERY_MILLIS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        int workers = workerThreads();
        messageChannels = new LinkedList<>();
        String stackName = sipStack instanceof SipStackImpl ? ((SipStackImpl) sipStack).getStackName() : "sip";
        for (int i = 0; i < workers; i++) {
            messageChannels.add(new WorkerChannel(sipStack, this, stackName + "-UDPMessageChannelThread-" + i));
        }
        ThreadAuditor.ThreadHandle audit = sipStack.getThreadAuditor() == null ? null
                : sipStack.getThreadAuditor().addCurrentThread();
        byte[] buffer = new byte[maxDatagramSize()];
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            try {
                if (audit != null) {
                    audit.ping();
                }
                received.setData(buffer);
                sock.receive(received);
                NewDialogScreening.Verdict verdict = screen(received);
                if (verdict == NewDialogScreening.Verdict.DONE) {
                    continue;
                }
                DatagramPacket copy = new DatagramPacket(Arrays.copyOf(buffer, received.getLength()), received.getLength(),
                        received.getAddress(), received.getPort());
                long now = System.currentTimeMillis();
                messageQueue.offer(verdict == NewDialogScreening.Verdict.ADMITTED ? new LaterDatagram(copy, now, true)
                        // a CANCEL waits with the new dialogs, so that it never overtakes its INVITE
                        : RawDialogRequest.isCancel(buffer, received.getLength()) ? new LaterDatagram(copy, now, false)
                        : new DatagramQueuedMessageDispatch(copy, now));
            } catch (SocketTimeoutException e) {
                // nothing received: loop
            } catch (SocketException e) {
                if (!isRunning) {
                    return;
                }
                report(e);
                if (sock.isClosed()) {
                    return;
                }
            } catch (Exception e) {
                report(e);
            }
        }
    }

    /** The screen's verdict; should it fail, the datagram goes on unscreened rather than being lost. */
    private NewDialogScreening.Verdict screen(DatagramPacket received) {
        try {
            return screening.screen(received.getData(), received.getLength(), received.getAddress(), received.getPort(), this);
        } catch (RuntimeException e) {
            // the stack's logger writes the same report at most once a minute
            LOGGER.logWarning("Screening a new dialog received on " + getIpAddress().getHostAddress() + ":" + getPort()
                    + " failed (" + e + "); it goes on unscreened");
            return NewDialogScreening.Verdict.PASS;
        }
    }

    @Override
    public void screenNewDialogs(NewDialogScreen screen) {
        screening.setScreen(screen);
    }

    @Override
    public void sendDatagram(byte[] message, InetAddress to, int port) throws IOException {
        sock.send(new DatagramPacket(message, message.length, to, port));
    }

    @Override
    public long lastDropMillis() {
        return messageQueue instanceof UdpReceiveQueue q ? q.lastDropMillis() : 0;
    }

    @Override
    public boolean datagrams() {
        return true;
    }

    @Override
    public long oldestWaitMillis(long nowMillis) {
        DatagramQueuedMessageDispatch head = messageQueue == null ? null : messageQueue.peek();
        return head == null ? 0 : Math.max(0, nowMillis - head.getReceptionTime());
    }

    private void reportDropped(long count, long maxWaitMillis) {
        LOGGER.logWarning("UDP on " + getIpAddress().getHostAddress() + ":" + getPort() + ": " + count
                + " received messages dropped unprocessed after waiting over " + maxWaitMillis
                + " ms (the proxy is behind; their senders retransmit them)");
    }

    private long maxWaitMillis() {
        return Math.max(0, StackConfiguration.wholeNumber(sipStack, MAX_WAIT_PROPERTY, DEFAULT_MAX_WAIT_MILLIS));
    }

    /** The stack's own rule: its datagram limit, or the stack's maximum message size if that is smaller. */
    private int maxDatagramSize() {
        int max = sipStack.getMaxMessageSize();
        return max > 0 && max < SipStackImpl.MAX_DATAGRAM_SIZE ? max : SipStackImpl.MAX_DATAGRAM_SIZE;
    }

    /** The stack's worker threads for this listening point (THREAD_POOL_SIZE; the proxy always sets it). */
    private int workerThreads() {
        long n = StackConfiguration.wholeNumber(sipStack, POOL_SIZE, 1);
        return n > Integer.MAX_VALUE ? 1 : (int) Math.max(1, n); // beyond an int: not a thread count, as before
    }

    private void report(Exception e) {
        // the stack's logger writes the same report at most once a minute
        LOGGER.logWarning("UDP receive on " + getIpAddress().getHostAddress() + ":" + getPort() + " failed ("
                + e.getClass().getSimpleName() + "); receiving goes on");
    }

    /** A worker thread of the stack (its constructor is protected): takes queued datagrams, parses and processes them. */
    private static final class WorkerChannel extends UDPMessageChannel {
        WorkerChannel(SIPTransactionStack stack, UDPMessageProcessor processor, String threadName) {
            super(stack, processor, threadName);
        }
    }
}
