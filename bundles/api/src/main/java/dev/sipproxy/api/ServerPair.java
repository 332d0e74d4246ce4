package dev.sipproxy.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A SIP Server HA pair as configured: a name, the primary, an optional backup, and the transport
 * the proxy uses towards both.
 */
public record ServerPair(String name, HostPort primary, Optional<HostPort> backup, SipTransportType transport) {

    public ServerPair {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(transport, "transport");
    }

    /** The address of one member. */
    public Optional<HostPort> member(MemberRole role) {
        return role == MemberRole.PRIMARY ? Optional.of(primary) : backup;
    }
}
