package dev.sipproxy.transport.internal;

import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The checked transport configuration. Equal settings mean nothing to restart. */
record TransportSettings(Optional<String> sipAddress, int sipPort, Set<SipTransportType> transports,
                         Optional<String> advertisedAddress, int stackThreads, int maxTransactions,
                         int maxMessageSize, int udpBufferSize) {

    static final int DEFAULT_PORT = 5060;
    static final int DEFAULT_THREADS = 8;
    static final int DEFAULT_MAX_TRANSACTIONS = 200_000;
    static final int DEFAULT_MAX_MESSAGE_SIZE = 65_536;
    static final int DEFAULT_UDP_BUFFER = 4 * 1024 * 1024;

    static final TransportSettings DEFAULTS = parse(new ConfigValues(null));

    /** @throws InvalidConfigException naming the first bad value */
    static TransportSettings parse(ConfigValues c) {
        Set<SipTransportType> transports = EnumSet.noneOf(SipTransportType.class);
        for (String t : c.list("sip-transports")) {
            SipTransportType type;
            try {
                type = SipTransportType.parse(t);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("sip-transports", t, e.getMessage());
            }
            if (type == SipTransportType.TLS) {
                throw new InvalidConfigException("sip-transports", t, "TLS is not supported yet");
            }
            transports.add(type);
        }
        if (transports.isEmpty()) {
            transports = EnumSet.of(SipTransportType.UDP, SipTransportType.TCP);
        }
        return new TransportSettings(
                c.text("sip-address"),
                c.integer("sip-port", DEFAULT_PORT, 1, 65535),
                Set.copyOf(transports),
                c.text("sip-advertised-address"),
                c.integer("stack-threads", DEFAULT_THREADS, 1, 256),
                c.integer("max-transactions", DEFAULT_MAX_TRANSACTIONS, 100, 10_000_000),
                c.integer("max-message-size", DEFAULT_MAX_MESSAGE_SIZE, 1024, 1 << 20),
                c.integer("udp-buffer-size", DEFAULT_UDP_BUFFER, 65536, 64 << 20));
    }

    /** The address to bind: the configured one, or the wildcard. */
    String bindAddress() {
        return sipAddress.orElse("0.0.0.0");
    }

    boolean bindsAllInterfaces() {
        return sipAddress.isEmpty() || sipAddress.get().equals("0.0.0.0") || sipAddress.get().equals("::");
    }
}
