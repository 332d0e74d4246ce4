package dev.sipproxy.api;

import java.util.Locale;

/** The SIP transports the proxy speaks. */
public enum SipTransportType {
    UDP, TCP, TLS;

    /** The lower-case token used in Via, in URI {@code transport=} parameters and in configuration. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isReliable() {
        return this != UDP;
    }

    /** Parses {@code udp}, {@code TCP}, ... */
    public static SipTransportType parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'" + text + "' is not a transport (udp, tcp or tls)");
        }
    }
}
