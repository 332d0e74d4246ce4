package dev.sipproxy.jainsip;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;

/**
 * The stack's listening points ({@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}): UDP receives
 * into one buffer ({@link BufferReusingUdpProcessor}); TCP connections are read, framed and
 * processed by one thread each ({@link FramingTcpMessageProcessor}); TLS is the stack's own
 * blocking processor.
 */
public final class ProxyMessageProcessorFactory implements MessageProcessorFactory {
    private final MessageProcessorFactory stackDefault = new OIOMessageProcessorFactory();

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port, String transport)
            throws IOException {
        if ("UDP".equalsIgnoreCase(transport)) {
            BufferReusingUdpProcessor udp = new BufferReusingUdpProcessor(address, stack, port);
            sendFromListeningSockets(stack);
            return udp;
        }
        if ("TCP".equalsIgnoreCase(transport)) {
            return new FramingTcpMessageProcessor(address, stack, port);
        }
        return stackDefault.createMessageProcessor(stack, address, port, transport);
    }

    /**
     * What the stack's own factory does with a UDP listening point: it raises the stack's
     * {@code udpFlag}, so that UDP goes out of the listening point's socket (the port in the Via,
     * where responses and a firewall's pinhole expect it) rather than a new socket per message. The
     * field is protected, out of reach but by reflection; the JAIN-SIP version is pinned.
     */
    private static void sendFromListeningSockets(SIPTransactionStack stack) throws IOException {
        try {
            Field flag = SIPTransactionStack.class.getDeclaredField("udpFlag");
            flag.setAccessible(true);
            flag.setBoolean(stack, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot set up UDP sending on this JAIN-SIP version: " + e, e);
        }
    }
}
