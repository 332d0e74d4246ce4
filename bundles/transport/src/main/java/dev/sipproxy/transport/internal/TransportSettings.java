package dev.sipproxy.transport.internal;

import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The checked transport configuration. Settings equal in {@link #listeningPart()} mean nothing to
 * restart (a TLS certificate or key change is applied to the running stack).
 */
record TransportSettings(Optional<String> sipAddress, int sipPort, Set<SipTransportType> transports,
                         Optional<String> advertisedAddress, int stackThreads, int maxTransactions,
                         int maxMessageSize, int udpBufferSize, TlsSettings tls, KeepAliveSettings keepAlive,
                         int maxConnections, ConnectionLimits connections) {

    static final int DEFAULT_PORT = 5060;
    static final int DEFAULT_THREADS = 8;
    static final int DEFAULT_MAX_TRANSACTIONS = 200_000;
    /**
     * 16 KiB: the stack gives every received datagram a buffer of this size, held while the datagram
     * waits in the receive queue; at 64 KiB a queue backed up under load took the 512 MiB heap, and
     * the out-of-memory error ended the UDP receive thread (a dead listener).
     */
    static final int DEFAULT_MAX_MESSAGE_SIZE = 16_384;
    static final int DEFAULT_UDP_BUFFER = 4 * 1024 * 1024;
    static final int DEFAULT_MAX_CONNECTIONS = 1000;

    static final TransportSettings DEFAULTS = parse(new ConfigValues(null));

    /** @throws InvalidConfigException naming the first bad value */
    static TransportSettings parse(ConfigValues c) {
        Set<SipTransportType> transports = EnumSet.noneOf(SipTransportType.class);
        for (String t : c.list("sip-transports")) {
            try {
                transports.add(SipTransportType.parse(t));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("sip-transports", t, e.getMessage());
            }
        }
        if (transports.isEmpty()) {
            transports = EnumSet.of(SipTransportType.UDP, SipTransportType.TCP);
        }
        TransportSettings s = new TransportSettings(
                c.text("sip-address"),
                c.integer("sip-port", DEFAULT_PORT, 1, 65535),
                Set.copyOf(transports),
                c.text("sip-advertised-address"),
                c.integer("stack-threads", DEFAULT_THREADS, 1, 256),
                c.integer("max-transactions", DEFAULT_MAX_TRANSACTIONS, 100, 10_000_000),
                c.integer("max-message-size", DEFAULT_MAX_MESSAGE_SIZE, 1024, 1 << 20),
                c.integer("udp-buffer-size", DEFAULT_UDP_BUFFER, 65536, 64 << 20),
                TlsSettings.parse(c),
                KeepAliveSettings.parse(c),
                c.integer("max-connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
                ConnectionLimits.parse(c));
        if (s.transports.contains(SipTransportType.TLS) && s.tls.port() == s.sipPort
                && (s.transports.contains(SipTransportType.TCP))) {
            throw new InvalidConfigException("sip-tls-port", s.tls.port(), "must differ from sip-port (TCP listens there)");
        }
        return s;
    }

    /** The address to bind: the configured one, or the wildcard. */
    String bindAddress() {
        return sipAddress.orElse("0.0.0.0");
    }

    boolean bindsAllInterfaces() {
        return sipAddress.isEmpty() || sipAddress.get().equals("0.0.0.0") || sipAddress.get().equals("::");
    }

    /**
     * What the listening points and the stack are made of: everything but the TLS key material, the
     * keep-alive timing and the per-address and idle limits, which apply to the running stack.
     */
    TransportSettings listeningPart() {
        return new TransportSettings(sipAddress, sipPort, transports, advertisedAddress, stackThreads, maxTransactions,
                maxMessageSize, udpBufferSize, tls.withoutMaterial(), KeepAliveSettings.OFF, maxConnections,
                ConnectionLimits.DEFAULTS);
    }
}
