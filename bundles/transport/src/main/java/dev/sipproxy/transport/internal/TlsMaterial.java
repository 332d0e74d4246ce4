package dev.sipproxy.transport.internal;

import dev.sipproxy.transport.internal.TlsSettings.TlsMaterialSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.Collections;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Key and trust material read from the configured key store and trust store files. Without a
 * trust store the JDK's default CAs are trusted.
 *
 * @param description the certificate in use, for the log (subject, expiry)
 */
record TlsMaterial(X509ExtendedKeyManager keys, X509ExtendedTrustManager trust, String description) {

    /** The material cannot be used; the message says which file and why, never a password. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    static TlsMaterial load(TlsMaterialSource source) throws Unusable {
        if (source.keystore().isEmpty()) {
            throw new Unusable("tls-keystore is not configured");
        }
        String keystoreFile = source.keystore().get();
        KeyStore keyStore = read("tls-keystore", keystoreFile, source.keystoreType(), source.keystorePassword());
        X509Certificate certificate = firstKeyCertificate(keyStore, keystoreFile);
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keyStore, source.keystorePassword().toCharArray());
            X509ExtendedKeyManager keys = null;
            for (KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof X509ExtendedKeyManager x) {
                    keys = x;
                }
            }
            KeyStore trustStore = source.truststore().isEmpty() ? null
                    : read("tls-truststore", source.truststore().get(), source.truststoreType(), source.truststorePassword());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trustStore);
            X509ExtendedTrustManager trust = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    trust = x;
                }
            }
            if (keys == null || trust == null) {
                throw new Unusable("the JDK offers no X.509 key or trust manager");
            }
            return new TlsMaterial(keys, trust, "'" + certificate.getSubjectX500Principal().getName() + "' (serial "
                    + certificate.getSerialNumber().toString(16) + ", valid until " + certificate.getNotAfter().toInstant() + ")");
        } catch (UnrecoverableKeyException e) {
            throw new Unusable("tls-keystore " + keystoreFile + ": the private key cannot be recovered with tls-keystore-password");
        } catch (GeneralSecurityException e) {
            throw new Unusable("tls-keystore " + keystoreFile + ": " + e.getMessage());
        }
    }

    private static KeyStore read(String key, String file, String type, String password) throws Unusable {
        Path path = Path.of(file);
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (NoSuchFileException e) {
            throw new Unusable(key + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new Unusable(key + " " + file + ": cannot be read (permission denied)");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new Unusable(key + " " + file + ": wrong password (" + key + "-password)");
            }
            throw new Unusable(key + " " + file + ": not a readable " + type + " store (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new Unusable(key + " " + file + ": " + e.getMessage());
        }
    }

    private static X509Certificate firstKeyCertificate(KeyStore store, String file) throws Unusable {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                    return c;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new Unusable("tls-keystore " + file + ": " + e.getMessage());
        }
        throw new Unusable("tls-keystore " + file + ": holds no private key with an X.509 certificate");
    }
}
