package dev.sipproxy.transport.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@code dev.sipproxy.transport}; values are read and checked by {@link TransportSettings}. */
@ObjectClassDefinition(name = "SIP Proxy transport",
        description = "The SIP listening points and the JAIN-SIP stack behind them.")
@interface TransportConfig {

    @AttributeDefinition(name = "sip-address", required = false,
            description = "Interface address or host name to bind; empty binds all interfaces.")
    String sip$_$address() default "";

    @AttributeDefinition(name = "sip-port", min = "1", max = "65535",
            description = "UDP and TCP port.")
    int sip$_$port() default TransportSettings.DEFAULT_PORT;

    @AttributeDefinition(name = "sip-transports", description = "Listening transports: udp, tcp.")
    String[] sip$_$transports() default {"udp", "tcp"};

    @AttributeDefinition(name = "sip-advertised-address", required = false,
            description = "Host written in Via and Record-Route; empty: the bound address (or, bound to all, the interface facing the peer).")
    String sip$_$advertised$_$address() default "";

    @AttributeDefinition(name = "stack-threads", min = "1", max = "256",
            description = "Threads that process received messages.")
    int stack$_$threads() default TransportSettings.DEFAULT_THREADS;

    @AttributeDefinition(name = "max-transactions", min = "100",
            description = "Most server (and, separately, client) transactions the stack keeps.")
    int max$_$transactions() default TransportSettings.DEFAULT_MAX_TRANSACTIONS;

    @AttributeDefinition(name = "max-message-size", min = "1024", max = "1048576",
            description = "Largest SIP message accepted over TCP, in bytes.")
    int max$_$message$_$size() default TransportSettings.DEFAULT_MAX_MESSAGE_SIZE;

    @AttributeDefinition(name = "udp-buffer-size", min = "65536",
            description = "UDP socket receive and send buffer, in bytes.")
    int udp$_$buffer$_$size() default TransportSettings.DEFAULT_UDP_BUFFER;
}
