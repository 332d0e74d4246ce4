package dev.sipproxy.transport.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Option;
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

    @AttributeDefinition(name = "sip-transports",
            description = "Listening transports: udp, tcp, tls (tls needs tls-keystore).")
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
            description = "Largest SIP message accepted over UDP and TCP, in bytes (each received datagram holds a buffer of this size while it waits to be processed).")
    int max$_$message$_$size() default TransportSettings.DEFAULT_MAX_MESSAGE_SIZE;

    @AttributeDefinition(name = "udp-buffer-size", min = "65536",
            description = "UDP socket receive and send buffer, in bytes.")
    int udp$_$buffer$_$size() default TransportSettings.DEFAULT_UDP_BUFFER;

    @AttributeDefinition(name = "sip-tls-port", min = "1", max = "65535", description = "TLS port.")
    int sip$_$tls$_$port() default TlsSettings.DEFAULT_PORT;

    @AttributeDefinition(name = "tls-keystore", required = false,
            description = "PKCS12 or JKS file with the proxy's private key and certificate (chain).")
    String tls$_$keystore() default "";

    @AttributeDefinition(name = "tls-keystore-password", required = false, type = AttributeType.PASSWORD,
            description = "Password of tls-keystore and of its key.")
    String tls$_$keystore$_$password() default "";

    @AttributeDefinition(name = "tls-keystore-type", required = false,
            description = "PKCS12 or JKS; empty: JKS for a .jks file, PKCS12 otherwise.")
    String tls$_$keystore$_$type() default "";

    @AttributeDefinition(name = "tls-truststore", required = false,
            description = "PKCS12 or JKS file with the certificates (CAs) trusted for peers; empty: the JDK's CAs.")
    String tls$_$truststore() default "";

    @AttributeDefinition(name = "tls-truststore-password", required = false, type = AttributeType.PASSWORD,
            description = "Password of tls-truststore.")
    String tls$_$truststore$_$password() default "";

    @AttributeDefinition(name = "tls-truststore-type", required = false,
            description = "PKCS12 or JKS; empty: from the file name as for tls-keystore-type.")
    String tls$_$truststore$_$type() default "";

    @AttributeDefinition(name = "tls-client-auth", options = {
            @Option(value = "none"), @Option(value = "want"), @Option(value = "need")},
            description = "Client certificates from endpoints on the TLS listening point: none, want (checked when given) or need.")
    String tls$_$client$_$auth() default "none";

    @AttributeDefinition(name = "tls-client-auth-sipservers", options = {
            @Option(value = "none"), @Option(value = "want"), @Option(value = "need")},
            description = "Client certificates from SIP Servers (peers at the IP of a pair member): none, want or need.")
    String tls$_$client$_$auth$_$sipservers() default "none";

    @AttributeDefinition(name = "tls-handshake-timeout", min = "100", max = "60000",
            description = "Milliseconds a TLS handshake may take before the connection is closed.")
    int tls$_$handshake$_$timeout() default TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT;

    @AttributeDefinition(name = "keepalive-interval", min = "0", max = "3600",
            description = "Seconds between RFC 5626 double-CRLF pings on the TCP and TLS connections to SIP Servers; 0: off.")
    int keepalive$_$interval() default KeepAliveSettings.DEFAULT_INTERVAL;

    @AttributeDefinition(name = "keepalive-timeout", min = "100", max = "600000",
            description = "Milliseconds a ping may go without its CRLF pong before the connection counts as stale.")
    int keepalive$_$timeout() default KeepAliveSettings.DEFAULT_TIMEOUT;

    @AttributeDefinition(name = "max-connections", min = "1",
            description = "Most TCP and TLS connections open at once (each listening point).")
    int max$_$connections() default TransportSettings.DEFAULT_MAX_CONNECTIONS;

    @AttributeDefinition(name = "max-connections-per-address", min = "1",
            description = "Most TCP or TLS connections accepted from one remote IP at once; more are closed as they arrive.")
    int max$_$connections$_$per$_$address() default ConnectionLimits.DEFAULT_PER_ADDRESS;

    @AttributeDefinition(name = "idle-timeout", min = "0", max = "86400",
            description = "Seconds a TCP or TLS connection may go without receiving anything before it is closed; 0: never.")
    int idle$_$timeout() default ConnectionLimits.DEFAULT_IDLE_TIMEOUT;
}
