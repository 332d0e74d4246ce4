package dev.sipproxy.api.transport;

import dev.sipproxy.api.SipTransportType;

/** One socket the proxy listens on. {@code address} is {@code 0.0.0.0} when bound to all interfaces. */
public record ListeningPointInfo(SipTransportType transport, String address, int port) {
}
