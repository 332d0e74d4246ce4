package dev.sipproxy.jainsip;

import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.DatagramPacket;

/**
 * The stack's work on one received datagram (parse it, answer a malformed one, hand the message to
 * its transaction or the proxy), done by a UDP listening point's receiving thread itself rather than
 * by a worker thread it wakes.
 *
 * <p>That step is the one the stack's worker loop ({@link UDPMessageChannel#run()}) calls for each
 * datagram it takes from the queue; JAIN-SIP keeps it private, so it is reached here through a
 * method handle, looked up once. The step copies the datagram's bytes before it parses them, so
 * the receiving thread may reuse its buffer as soon as it returns. A channel keeps per-datagram state
 * (the peer's address and port), so this one belongs to the receiving thread alone; it is built with
 * the stack's constructor for channels that start no thread of their own.
 */
final class ReceivingThreadChannel extends UDPMessageChannel {
    /** The stack's per-datagram step; null if this JAIN-SIP has none by that name (then nothing is done here). */
    private static final MethodHandle PROCESS = lookUp();

    private ReceivingThreadChannel(UDPMessageProcessor processor, SIPTransactionStack stack) {
        super(processor.getIpAddress(), processor.getPort(), stack, processor);
    }

    /** A channel for {@code processor}'s receiving thread, or null if the stack's step cannot be reached. */
    static ReceivingThreadChannel forReceivingThread(UDPMessageProcessor processor, SIPTransactionStack stack) {
        return PROCESS == null ? null : new ReceivingThreadChannel(processor, stack);
    }

    /** Parses and processes {@code packet} on this thread, as a worker would. */
    void process(DatagramPacket packet) throws Exception {
        try {
            PROCESS.invokeExact((UDPMessageChannel) this, packet);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // not thrown by the step: it declares Exception only
        }
    }

    private static MethodHandle lookUp() {
        try {
            return MethodHandles.privateLookupIn(UDPMessageChannel.class, MethodHandles.lookup()).findVirtual(
                    UDPMessageChannel.class, "processIncomingDataPacket",
                    MethodType.methodType(void.class, DatagramPacket.class));
        } catch (ReflectiveOperationException | SecurityException e) {
            return null;
        }
    }
}
