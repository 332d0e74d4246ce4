package dev.sipproxy.transport.internal;

import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.SipTransportType;

import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a connection is found stale (no CRLF pong to a keep-alive ping in time) and has
 * been closed: logged, and the SIP Server member behind it marked down, so that the pair's next
 * request goes to the other member.
 */
final class StaleConnections {
    private static final Logger LOG = LoggerFactory.getLogger(StaleConnections.class);

    private final Supplier<SipServerPairs> pairs;

    StaleConnections(Supplier<SipServerPairs> pairs) {
        this.pairs = pairs;
    }

    /** The stack's connection to {@code ip:port} went without an answer to a keep-alive ping and was closed. */
    void found(SipTransportType transport, String ip, int port, int timeoutMillis) {
        String reason = "no CRLF pong within " + timeoutMillis + " ms of a keep-alive ping";
        SipServerPairs p = pairs.get();
        Optional<MemberRef> member = p == null ? Optional.empty() : p.memberAt(ip, port);
        LOG.warn("Stale {} connection to {}:{} closed: {}{}", transport, ip, port, reason,
                member.map(m -> "; SIP Server " + m.pair() + "/" + m.role().name().toLowerCase(java.util.Locale.ROOT)
                        + " marked down").orElse(""));
        member.ifPresent(m -> p.memberFailed(m, "stale connection: " + reason));
    }
}
