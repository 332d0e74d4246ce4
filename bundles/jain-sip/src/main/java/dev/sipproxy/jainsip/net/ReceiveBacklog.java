package dev.sipproxy.jainsip.net;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.parser.PostParseExecutorServices;
import gov.nist.javax.sip.stack.QueuedMessageDispatchBase;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;

import javax.sip.SipStack;

/**
 * How far a running stack is behind: how long the oldest received message that no worker thread
 * has taken up yet has waited. UDP messages wait in each listening point's queue, TCP messages on
 * their connection, where the wait is estimated from what is queued there (both
 * {@link QueuedReceiver}s); TLS messages, parsed by their connection's reader thread, wait in the
 * stack's post-parsing queue (one per JVM in this JAIN-SIP version). A healthy proxy has a few
 * milliseconds here; hundreds mean it takes in more than it can process.
 */
public final class ReceiveBacklog {

    private ReceiveBacklog() {
    }

    /** The longest wait, in milliseconds, of a message received by {@code stack} and not yet processed. */
    public static long oldestWaitMillis(SipStack stack) {
        return Math.max(datagramWaitMillis(stack), streamWaitMillis(stack));
    }

    /** The longest wait of a message received by {@code stack} over UDP and not yet processed. */
    public static long datagramWaitMillis(SipStack stack) {
        return receiversWait(stack, true, System.currentTimeMillis());
    }

    /** The longest wait of a message received by {@code stack} over TCP or TLS and not yet processed. */
    public static long streamWaitMillis(SipStack stack) {
        long now = System.currentTimeMillis();
        return Math.max(postParseWait(now), receiversWait(stack, false, now));
    }

    private static long receiversWait(SipStack stack, boolean datagrams, long now) {
        long oldest = 0;
        for (QueuedReceiver receiver : receivers(stack)) {
            if (receiver.datagrams() == datagrams) {
                oldest = Math.max(oldest, receiver.oldestWaitMillis(now));
            }
        }
        return oldest;
    }

    /** When {@code stack} last dropped a received message unprocessed because it waited too long (wall clock); 0 if never. */
    public static long lastDropMillis(SipStack stack) {
        long last = 0;
        for (QueuedReceiver receiver : receivers(stack)) {
            last = Math.max(last, receiver.lastDropMillis());
        }
        return last;
    }

    /** The stack's listening points that tell how long what they received waits (UDP and TCP). */
    private static List<QueuedReceiver> receivers(SipStack stack) {
        List<QueuedReceiver> receivers = new ArrayList<>(2);
        for (Iterator<?> it = stack.getListeningPoints(); it.hasNext(); ) {
            if (it.next() instanceof ListeningPointImpl lp && lp.getMessageProcessor() instanceof QueuedReceiver receiver) {
                receivers.add(receiver);
            }
        }
        return receivers;
    }

    private static long postParseWait(long now) {
        Queue<Runnable> queue = PostParseExecutorServices.staticQueue;
        Runnable head = queue == null ? null : queue.peek();
        return head instanceof QueuedMessageDispatchBase dispatch ? Math.max(0, now - dispatch.getReceptionTime()) : 0;
    }
}
