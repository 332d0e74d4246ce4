package dev.sipproxy.transport.internal;

import gov.nist.javax.sip.stack.SIPServerTransactionImpl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Reads what a server transaction of the stack keeps of its last response to send it again: the
 * encoded bytes and, over UDP, the host, port and transport they went to (RFC 3261 18.2.2, from the
 * top Via). The stack keeps them in private fields and offers no getter; a stack without them (another
 * JAIN-SIP version) makes {@link #AVAILABLE} false, and the transactions then keep their answers
 * themselves, as the stack does.
 */
final class LastResponse {
    private static final VarHandle BYTES;
    private static final VarHandle HOST;
    private static final VarHandle PORT;
    private static final VarHandle TRANSPORT;
    static final boolean AVAILABLE;

    static {
        VarHandle bytes = null, host = null, port = null, transport = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(SIPServerTransactionImpl.class, MethodHandles.lookup());
            bytes = lookup.findVarHandle(SIPServerTransactionImpl.class, "lastResponseAsBytes", byte[].class);
            host = lookup.findVarHandle(SIPServerTransactionImpl.class, "lastResponseHost", String.class);
            port = lookup.findVarHandle(SIPServerTransactionImpl.class, "lastResponsePort", int.class);
            transport = lookup.findVarHandle(SIPServerTransactionImpl.class, "lastResponseTransport", String.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            bytes = null;
        }
        BYTES = bytes;
        HOST = host;
        PORT = port;
        TRANSPORT = transport;
        AVAILABLE = bytes != null;
    }

    private LastResponse() {
    }

    static byte[] bytes(SIPServerTransactionImpl t) {
        return (byte[]) BYTES.get(t);
    }

    static String host(SIPServerTransactionImpl t) {
        return (String) HOST.get(t);
    }

    static int port(SIPServerTransactionImpl t) {
        return (int) PORT.get(t);
    }

    static String transport(SIPServerTransactionImpl t) {
        return (String) TRANSPORT.get(t);
    }
}
