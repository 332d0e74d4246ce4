package dev.sipproxy.transport.internal;

import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;
import dev.sipproxy.jainsip.net.StackTls.ClientAuth;

import java.util.Locale;
import java.util.Optional;

/**
 * The TLS part of the transport configuration. The key material (files, passwords, types) can be
 * replaced without restarting the stack; the rest moves the TLS listening point.
 */
record TlsSettings(int port, TlsMaterialSource material, ClientAuth clientAuth, ClientAuth sipServerClientAuth,
                   int handshakeTimeoutMillis) {

    static final int DEFAULT_PORT = 5061;
    static final int DEFAULT_HANDSHAKE_TIMEOUT = 5000;

    static TlsSettings parse(ConfigValues c) {
        return new TlsSettings(
                c.integer("sip-tls-port", DEFAULT_PORT, 1, 65535),
                TlsMaterialSource.parse(c),
                clientAuth("tls-client-auth", c.text("tls-client-auth", "none")),
                clientAuth("tls-client-auth-sipservers", c.text("tls-client-auth-sipservers", "none")),
                c.integer("tls-handshake-timeout", DEFAULT_HANDSHAKE_TIMEOUT, 100, 60_000));
    }

    private static ClientAuth clientAuth(String key, String text) {
        try {
            return ClientAuth.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key, text, "must be none, want or need");
        }
    }

    /** These settings without the key material: what, when it changes, needs the stack restarted. */
    TlsSettings withoutMaterial() {
        return new TlsSettings(port, TlsMaterialSource.NONE, clientAuth, sipServerClientAuth, handshakeTimeoutMillis);
    }

    /**
     * Where the key material comes from. Passwords are kept as given; {@link #toString()} masks them.
     */
    record TlsMaterialSource(Optional<String> keystore, String keystorePassword, String keystoreType,
                             Optional<String> truststore, String truststorePassword, String truststoreType) {

        static final TlsMaterialSource NONE = new TlsMaterialSource(Optional.empty(), "", "PKCS12", Optional.empty(), "", "PKCS12");

        static TlsMaterialSource parse(ConfigValues c) {
            Optional<String> keystore = c.text("tls-keystore");
            Optional<String> truststore = c.text("tls-truststore");
            return new TlsMaterialSource(keystore, c.text("tls-keystore-password", ""),
                    storeType(c, "tls-keystore-type", keystore),
                    truststore, c.text("tls-truststore-password", ""),
                    storeType(c, "tls-truststore-type", truststore));
        }

        /** PKCS12 or JKS; when not given, JKS for a {@code .jks} file and PKCS12 otherwise. */
        private static String storeType(ConfigValues c, String key, Optional<String> file) {
            Optional<String> type = c.text(key);
            if (type.isEmpty()) {
                return file.map(f -> f.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12").orElse("PKCS12");
            }
            String t = type.get().toUpperCase(Locale.ROOT);
            if (!t.equals("PKCS12") && !t.equals("JKS")) {
                throw new InvalidConfigException(key, type.get(), "must be PKCS12 or JKS");
            }
            return t;
        }

        @Override
        public String toString() {
            return "TlsMaterialSource[keystore=" + keystore.orElse("") + " (" + keystoreType + "), truststore="
                    + truststore.orElse("") + " (" + truststoreType + "), passwords masked]";
        }
    }
}
