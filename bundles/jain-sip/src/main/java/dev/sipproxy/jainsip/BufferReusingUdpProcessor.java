package dev.sipproxy.jainsip;

import dev.sipproxy.jainsip.net.DatagramSender;
import dev.sipproxy.jainsip.net.DatagramSocketKind;
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
 * everything the proxy allocated, and so of its young collections. This loop receives into one
 * buffer and, while it keeps up and where the socket sends without a lock
 * ({@link DatagramSocketKind#receivingThreadProcesses()}), processes the datagram itself (see
 * {@link #receive}); behind, or on another socket, it queues an exact-size copy for the stack's
 * pool of worker threads, which parse and process as in the stack's own loop. Only the receiving thread touches the buffer (the relief thread that stands
 * in for it has its own). A socket closed under a running listening point ends the thread (the
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

    /** The receiving thread held up this long on one datagram: the relief thread receives instead. */
    static final long STALL_MILLIS = 10;

    private final ReceivePace pace = new ReceivePace();
    /** Only the relief thread's. */
    private byte[] reliefBuffer;
    private DatagramPacket reliefPacket;
    private final NewDialogScreening screening = new NewDialogScreening(System::currentTimeMillis);
    private final ReceivingThreadRelief relief = new ReceivingThreadRelief(this::receiveAndQueue,
            () -> isRunning && !sock.isClosed(), STALL_MILLIS, STALL_MILLIS);

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
        ReceivingThreadChannel here = DatagramSocketKind.receivingThreadProcesses() ? ReceivingThreadChannel.forReceivingThread(this, sipStack) : null;
        if (here != null) {
            Thread t = new Thread(relief, stackName + "-UDPReceiveRelief-" + getPort());
            t.setDaemon(true);
            t.start();
        }
        ThreadAuditor.ThreadHandle audit = sipStack.getThreadAuditor() == null ? null
                : sipStack.getThreadAuditor().addCurrentThread();
        byte[] buffer = new byte[maxDatagramSize()];
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            if (audit != null) {
                audit.ping();
            }
            if (!receive(buffer, received, here)) {
                return;
            }
        }
    }

    /**
     * Receives one datagram into {@code buffer}, screens it, and processes it on this thread
     * ({@code here}, when not null) or queues it for the worker threads.
     *
     * <p>Processed here while this thread keeps up ({@link ReceivePace}) and nothing waits in the
     * queue. Handing a datagram to a worker wakes that thread, which then waits for a core: at 1000
     * calls/s, some 7000 datagrams a second, the hand-offs cost about a quarter of the proxy's CPU
     * on this machine's two cores, and the waits were in every message's time through the proxy.
     * Behind, or with the queue not empty, datagrams go to the workers, in the queue's order (calls
     * in progress first); a datagram that holds this thread up long is covered by
     * {@link ReceivingThreadRelief}.
     *
     * @return false when the socket is gone and receiving ends
     */
    private boolean receive(byte[] buffer, DatagramPacket received, ReceivingThreadChannel here) {
        try {
            received.setData(buffer);
            long start = System.nanoTime();
            sock.receive(received);
            boolean keepingUp = here != null && pace.keepsUp(start, System.nanoTime());
            NewDialogScreening.Verdict verdict = screen(received);
            if (verdict == NewDialogScreening.Verdict.DONE) {
                return true;
            }
            if (keepingUp && messageQueue.isEmpty()) {
                processHere(here, received, verdict == NewDialogScreening.Verdict.ADMITTED);
                return true;
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
                return false;
            }
            report(e);
            return !sock.isClosed();
        } catch (Exception e) {
            report(e);
        }
        return true;
    }

    private void processHere(ReceivingThreadChannel here, DatagramPacket received, boolean admitted) {
        ReceiptAdmission.taken(admitted);
        long start = relief.processing();
        try {
            here.process(received);
        } catch (Exception e) {
            // as a worker thread would: the stack's logger writes the same report at most once a minute
            LOGGER.logWarning("Processing a datagram received on " + getIpAddress().getHostAddress() + ":" + getPort()
                    + " failed (" + e + ")" + TimerWheel.where(e));
        } finally {
            relief.done();
            pace.processed(System.nanoTime() - start);
        }
    }

    /** The relief thread's receiving: into its own buffer, every datagram queued. */
    private boolean receiveAndQueue() {
        if (reliefPacket == null) {
            reliefBuffer = new byte[maxDatagramSize()];
            reliefPacket = new DatagramPacket(reliefBuffer, reliefBuffer.length);
        }
        return receive(reliefBuffer, reliefPacket, null);
    }

    /**
     * The screen's verdict; should it fail, the datagram goes on unscreened rather than being lost.
     * Locked: the relief thread may receive while the receiving thread is still screening.
     */
    private NewDialogScreening.Verdict screen(DatagramPacket received) {
        try {
            synchronized (screening) {
                return screening.screen(received.getData(), received.getLength(), received.getAddress(), received.getPort(), this);
            }
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
