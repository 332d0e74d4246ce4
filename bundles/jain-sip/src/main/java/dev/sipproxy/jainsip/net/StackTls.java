package dev.sipproxy.jainsip.net;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

/**
 * The TLS set-up of one running stack, handed from the transport bundle to the stack's network
 * layer. The stack creates its network layer by class name with no arguments
 * ({@code gov.nist.javax.sip.NETWORK_LAYER}), so the two meet here, keyed by the stack's name,
 * instead of through the JVM-wide {@code javax.net.ssl.*} system properties.
 *
 * @param context    key and trust material; its managers may be swapped underneath it (certificate reload)
 * @param protocols  the only protocols enabled on every TLS socket, for example TLSv1.3 and TLSv1.2
 * @param clientAuth          whether endpoints connecting to the TLS listening point must present a certificate
 * @param sipServerClientAuth the same for SIP Servers: peers whose IP {@code isSipServer} accepts
 * @param isSipServer         whether a remote IP is that of a SIP Server
 */
public record StackTls(SSLContext context, List<String> protocols, ClientAuth clientAuth, ClientAuth sipServerClientAuth,
                       Predicate<String> isSipServer) {

    /** Client-certificate authentication on the listening point. */
    public enum ClientAuth { NONE, WANT, NEED }

    private static final Map<String, StackTls> BY_STACK = new ConcurrentHashMap<>();

    public StackTls {
        protocols = List.copyOf(protocols);
    }

    /** The client-certificate policy for a peer connecting from {@code remoteIp}. */
    public ClientAuth clientAuthFor(String remoteIp) {
        return isSipServer.test(remoteIp) ? sipServerClientAuth : clientAuth;
    }

    /** Makes {@code tls} the set-up of the stack named {@code stackName} ({@code javax.sip.STACK_NAME}). */
    public static void register(String stackName, StackTls tls) {
        BY_STACK.put(stackName, tls);
    }

    public static void unregister(String stackName) {
        BY_STACK.remove(stackName);
    }

    /** The set-up of a stack, or null when none was registered (the stack then has no TLS). */
    public static StackTls of(String stackName) {
        return stackName == null ? null : BY_STACK.get(stackName);
    }
}
