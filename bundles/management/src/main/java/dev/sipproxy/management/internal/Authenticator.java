package dev.sipproxy.management.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic authentication against a Karaf JAAS realm ({@code etc/users.properties} for the default
 * realm {@code karaf}). Roles are the Subject's {@code RolePrincipal}s (matched by class simple name,
 * so this bundle does not depend on Karaf's JAAS classes).
 */
final class Authenticator {
    static final String ROLE_ADMIN = "admin";
    static final Set<String> VIEW_ROLES = Set.of("admin", "manager", "viewer");
    static final String CHALLENGE = "Basic realm=\"sip-proxy\"";
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    /** The outcome: who, with which roles; null user when no or wrong credentials were given. */
    record Result(String user, Set<String> roles, boolean credentialsGiven) {
        boolean authenticated() {
            return user != null;
        }

        boolean hasAnyRole(Set<String> wanted) {
            return roles.stream().anyMatch(wanted::contains);
        }
    }

    private final String realm;

    Authenticator(String realm) {
        this.realm = realm == null || realm.isBlank() ? "karaf" : realm.trim();
    }

    String realm() {
        return realm;
    }

    /** Checks the request's Authorization header against the realm. */
    Result authenticate(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return new Result(null, Set.of(), false);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Result(null, Set.of(), true);
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return new Result(null, Set.of(), true);
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        return login(user, password);
    }

    Result login(String user, char[] password) {
        Subject subject = new Subject();
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        // LoginContext loads the realm's login module (Karaf's ProxyLoginModule, boot-delegated) through the TCCL
        t.setContextClassLoader(Authenticator.class.getClassLoader());
        try {
            LoginContext lc = new LoginContext(realm, subject, callbacks -> handle(callbacks, user, password));
            lc.login();
            Set<String> roles = new TreeSet<>();
            for (Principal p : subject.getPrincipals()) {
                if ("RolePrincipal".equals(p.getClass().getSimpleName())) {
                    roles.add(p.getName());
                }
            }
            try {
                lc.logout();
            } catch (LoginException ignored) {
                // nothing is kept
            }
            return new Result(user, roles, true);
        } catch (LoginException | SecurityException e) {
            LOG.debug("HTTP login of '{}' in realm '{}' refused: {}", user, realm, e.toString());
            return new Result(null, Set.of(), true);
        } finally {
            t.setContextClassLoader(previous);
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static void handle(Callback[] callbacks, String user, char[] password)
            throws IOException, UnsupportedCallbackException {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback n) {
                n.setName(user);
            } else if (c instanceof PasswordCallback p) {
                p.setPassword(password.clone());
            } else {
                throw new UnsupportedCallbackException(c);
            }
        }
    }

    /** The result of an open (unchecked) request. */
    static final Result ANONYMOUS = new Result(null, Set.of(), false);

    /**
     * Lets the request through when {@code wanted} is null (open), or when it carries a user with
     * one of the roles in {@code wanted}: returns who it is ({@link #ANONYMOUS} when open). Otherwise
     * answers 401 (no or wrong credentials) or 403 (known user without the role) and returns null.
     */
    Result check(HttpServletRequest req, HttpServletResponse resp, Set<String> wanted) throws IOException {
        if (wanted == null) {
            return ANONYMOUS;
        }
        Result r = authenticate(req);
        if (!r.authenticated()) {
            resp.setHeader("WWW-Authenticate", CHALLENGE);
            JsonResponses.error(resp, HttpServletResponse.SC_UNAUTHORIZED,
                    r.credentialsGiven() ? "wrong user name or password" : "authentication required");
            return null;
        }
        if (!r.hasAnyRole(wanted)) {
            JsonResponses.error(resp, HttpServletResponse.SC_FORBIDDEN,
                    "user '" + r.user() + "' lacks role " + String.join(" or ", new TreeSet<>(wanted)).toLowerCase(Locale.ROOT));
            return null;
        }
        return r;
    }
}
