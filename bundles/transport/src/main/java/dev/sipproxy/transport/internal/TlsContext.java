package dev.sipproxy.transport.internal;

import java.security.GeneralSecurityException;
import java.util.Collections;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * The one SSLContext of the transport. Its key and trust managers are swappable, so a certificate
 * replaced on disk reaches new connections without a new context, a new stack or a restart;
 * cached sessions are dropped at each swap so that no resumed session keeps the old certificate.
 */
final class TlsContext {
    private final SwappableKeyManager keys = new SwappableKeyManager();
    private final SwappableTrustManager trust = new SwappableTrustManager();
    private final SSLContext context;
    private volatile TlsMaterial material;

    TlsContext() {
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS", e);
        }
    }

    SSLContext sslContext() {
        return context;
    }

    /** The material in use, or null before any could be loaded. */
    TlsMaterial material() {
        return material;
    }

    void use(TlsMaterial m) {
        keys.use(m.keys());
        trust.use(m.trust());
        material = m;
        invalidate(context.getServerSessionContext());
        invalidate(context.getClientSessionContext());
    }

    private static void invalidate(SSLSessionContext sessions) {
        for (byte[] id : Collections.list(sessions.getIds())) {
            var s = sessions.getSession(id);
            if (s != null) {
                s.invalidate();
            }
        }
    }
}
