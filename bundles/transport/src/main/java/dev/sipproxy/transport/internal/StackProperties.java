package dev.sipproxy.transport.internal;

import java.util.List;
import java.util.Properties;

/** JAIN-SIP stack properties for a transaction-stateful proxy under production load. */
final class StackProperties {
    /** The router that sends each request to the hop the proxy core chose (see the JAIN-SIP bundle). */
    static final String ROUTER = "dev.sipproxy.jainsip.ApplicationHopRouter";
    /** The stricter parser that refuses duplicate or missing essential headers with a clean 400. */
    static final String PARSER_FACTORY = "dev.sipproxy.jainsip.StrictMessageParserFactory";

    /** The sockets: SO_KEEPALIVE on TCP and TLS, and TLS material from the configuration (see the JAIN-SIP bundle). */
    static final String NETWORK_LAYER = "dev.sipproxy.jainsip.ConfiguredNetworkLayer";
    /** The listening points: UDP receiving into one buffer (see the JAIN-SIP bundle). */
    static final String PROCESSOR_FACTORY = "dev.sipproxy.jainsip.ProxyMessageProcessorFactory";
    /** The timer that runs transaction timers on a pool of threads (see the JAIN-SIP bundle). */
    static final String TIMER = "dev.sipproxy.jainsip.ParallelSipTimer";
    /** The only TLS protocols, towards peers and from them. */
    static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private StackProperties() {
    }

    /**
     * @param stackName unique per stack: the network layer finds the stack's TLS set-up by it
     * @param cipherSuites the TLS cipher suites to enable (the stack's own default list is weak)
     */
    static Properties of(TransportSettings s, String stackName, List<String> cipherSuites) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", NETWORK_LAYER);
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", TLS_PROTOCOLS));
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", cipherSuites));
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", Integer.toString(s.tls().handshakeTimeoutMillis()));
        p.setProperty("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED", "false");
        // Client authentication is applied by the network layer's server socket (the stack's own
        // handling of it ends with no client authentication at all); tell the stack nothing.
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", Integer.toString(s.maxConnections()));
        p.setProperty("javax.sip.ROUTER_PATH", ROUTER);
        p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", PARSER_FACTORY);
        // A proxy keeps no dialogs: dialog state belongs to the UAs.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        // Nor does it detect merged requests (RFC 3261 8.2.2.2, a UAS's job: two branches of one forked
        // request that both reach this proxy are both forwarded). The stack's detection never matched
        // here (the proxy's server transactions never enter its merge table) yet looked up every
        // INVITE's merge key. The requests the proxy's parser builds have none (ProxyRequest), nor do
        // its server transactions.
        p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "false");
        // No message logging: at thousands of calls per second it would cost more than the routing.
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.LOG_STACK_TRACE_ON_MESSAGE_SEND", "false");
        // One line per report, no stack traces, no whole messages (see the JAIN-SIP bundle).
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", "dev.sipproxy.jainsip.QuietStackLogger");
        // A bounded pool of threads that handle messages concurrently.
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(s.stackThreads()));
        p.setProperty("gov.nist.javax.sip.TCP_POST_PARSING_THREAD_POOL_SIZE", Integer.toString(s.stackThreads()));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // Transaction timers and the clean-up of ended transactions on a pool of threads, not the one
        // thread of the stack's default java.util.Timer (see the JAIN-SIP bundle). Its timer threads end
        // with the stack (JAIN-SIP's own ScheduledExecutorSipTimer kept them until the last delayed
        // timer had run, up to 32 s after feature:uninstall: FeatureReinstallIT).
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", TIMER);
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", Integer.toString(s.maxTransactions()));
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", Integer.toString(s.maxTransactions()));
        // An ended transaction lingers a few seconds; "Normal" (AGGRESSIVE_CLEANUP) drops its parsed
        // messages meanwhile. It costs a re-encode and re-parse per transaction (a tenth of the CPU at
        // 750 calls/s), but "None" doubled the live heap (87 -> 185 MB) and the GC stalls that came with
        // it failed pair members over.
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        // After an INVITE or CANCEL server transaction ends the stack kept it LINGER_TIMER seconds more
        // (default 8) before it let go; 2 instead of 8 took the live server transactions at 1000 calls/s
        // from 40485 to 34514. What the linger absorbed, retransmissions of an INVITE answered 2xx, is
        // absorbed for Timer L (RFC 6026) by keys alone (BranchMatchingSipStack), so the transaction goes
        // at the stack's next look at it (500 ms). RFC 3261 timers (J, K, D) are unchanged.
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", "0");
        // UDP listening points receive into one buffer, not a new 16 KiB one per datagram; a TCP
        // connection is read, framed and processed by one thread (see the JAIN-SIP bundle); TLS is the
        // stack's own, and only TLS still uses the post-parsing pool above.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", PROCESSOR_FACTORY);
        // TCP stays on the stack's blocking processor (a thread per connection). Its NIO processor
        // (NioMessageProcessorFactory) closes the connection to a SIP Server as soon as the INVITE
        // transaction ends, so the ACK and BYE of the call arrive on new connections, which UAs
        // that bind dialogs to their connection reject.
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(s.maxMessageSize()));
        // A received datagram that waited 500 ms (T1) for a worker thread is dropped unprocessed: its
        // sender has retransmitted it by then (see the JAIN-SIP bundle's UdpReceiveQueue). The
        // stack's own congestion control is off: it dropped only every 2 s, and dropped TCP messages
        // too, which nobody retransmits (a TCP backlog is left to overload control's 503s).
        p.setProperty("dev.sipproxy.UDP_MAX_QUEUE_WAIT_MILLIS", "500");
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "0");
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "5000");
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(s.udpBufferSize()));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(s.udpBufferSize()));
        // Non-2xx ACKs are absorbed by the INVITE server transaction, as a stateful proxy must.
        p.setProperty("gov.nist.javax.sip.PASS_INVITE_NON_2XX_ACK_TO_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.IS_BACK_TO_BACK_USER_AGENT", "false");
        p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", "0");
        // Requests from RFC 2543 elements (no branch cookie, no From tag) are still proxied.
        p.setProperty("gov.nist.javax.sip.RFC_2543_SUPPORT_ENABLED", "true");
        return p;
    }
}
