package dev.sipproxy.management.internal;

import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.HealthControl;
import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.ProxyStatistics;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.transport.SipTransport;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /sip-proxy/api}: read-only views (GET) and operator actions (POST).
 * Every proxy service is optional and dynamic: a missing one shows as {@code "available": false}
 * (or 503 for an action that needs it), and the servlet stays registered.
 */
@Component(service = Servlet.class, configurationPid = ManagementConfig.PID, property = {
    "osgi.http.whiteboard.servlet.pattern=" + ApiServlet.PREFIX + "/*",
    "osgi.http.whiteboard.servlet.name=sip-proxy-api",
})
@Designate(ocd = ManagementConfig.class)
public class ApiServlet extends HttpServlet {
    static final String PREFIX = "/sip-proxy/api";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    @Reference
    private ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SipServerPairs pairs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HealthControl health;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ProxyStatistics proxyStatistics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AdmissionStatistics admissionStatistics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SipTransport transport;

    private volatile Authenticator authenticator = new Authenticator("karaf");
    private volatile boolean readOnlyOpen = true;
    private volatile String version = "unknown";
    private ManagementSettings settings;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        version = context.getBundle().getVersion().toString();
        modified(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        settings = ManagementSettings.parseOr(properties, settings, true);
        authenticator = new Authenticator(settings.realm());
        readOnlyOpen = settings.readOnlyOpen();
        LOG.info("Management API at {}: read-only views {}, actions checked against JAAS realm '{}'",
                PREFIX, readOnlyOpen ? "open" : "need a login", authenticator.realm());
    }

    /** The path below {@link #PREFIX}, split on '/', without empty segments. */
    private static List<String> segments(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null) {
            return List.of();
        }
        return java.util.Arrays.stream(info.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = segments(req);
        String first = path.isEmpty() ? "" : path.get(0);
        Authenticator auth = authenticator;
        Set<String> viewRoles = readOnlyOpen ? null : Authenticator.VIEW_ROLES;
        switch (first) {
            case "", "status" -> {
                if (path.size() > 1) {
                    notFound(resp, req);
                } else if (auth.check(req, resp, viewRoles) != null) {
                    JsonResponses.send(resp, 200, Views.status(version, transport, pairs, alarms));
                }
            }
            case "servers" -> {
                if (auth.check(req, resp, viewRoles) == null) {
                    return;
                }
                SipServerPairs p = pairs;
                if (path.size() == 1) {
                    JsonResponses.send(resp, 200, Views.servers(p));
                } else if (path.size() == 2) {
                    Optional<PairState> state = p == null ? Optional.empty() : p.pair(path.get(1));
                    if (p == null) {
                        JsonResponses.error(resp, 503, "the SIP Server pairs are not available");
                    } else if (state.isEmpty()) {
                        JsonResponses.error(resp, 404, "no pair '" + path.get(1) + "'");
                    } else {
                        JsonResponses.send(resp, 200, Views.pair(state.get()));
                    }
                } else {
                    notFound(resp, req);
                }
            }
            case "alarms" -> {
                if (path.size() == 1 && auth.check(req, resp, viewRoles) != null) {
                    JsonResponses.send(resp, 200, Views.alarms(alarms));
                } else if (path.size() != 1) {
                    notFound(resp, req);
                }
            }
            case "stats" -> {
                if (path.size() == 1 && auth.check(req, resp, viewRoles) != null) {
                    JsonResponses.send(resp, 200, Views.stats(proxyStatistics, admissionStatistics));
                } else if (path.size() != 1) {
                    notFound(resp, req);
                }
            }
            case "config" -> {
                if (path.size() == 1 && auth.check(req, resp, Set.of(Authenticator.ROLE_ADMIN)) != null) {
                    JsonResponses.send(resp, 200, Views.config(sipProxyConfigurations()));
                } else if (path.size() != 1) {
                    notFound(resp, req);
                }
            }
            default -> notFound(resp, req);
        }
    }

    private Configuration[] sipProxyConfigurations() throws IOException {
        try {
            return configAdmin.listConfigurations("(|(service.pid=dev.sipproxy.*)(service.factoryPid=dev.sipproxy.*))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = segments(req);
        // servers/{pair}/{primary|backup}/{out-of-service|in-service}, servers/{pair}/probe
        boolean memberAction = path.size() == 4 && path.get(0).equals("servers")
                && (path.get(3).equals("out-of-service") || path.get(3).equals("in-service"));
        boolean probe = path.size() == 3 && path.get(0).equals("servers") && path.get(2).equals("probe");
        if (!memberAction && !probe) {
            notFound(resp, req);
            return;
        }
        Authenticator.Result who = authenticator.check(req, resp, Set.of(Authenticator.ROLE_ADMIN));
        if (who == null) {
            return;
        }
        HealthControl control = health;
        if (control == null) {
            JsonResponses.error(resp, 503, "health control is not available");
            return;
        }
        String pair = path.get(1);
        String user = who.user();
        if (probe) {
            if (!control.probeNow(pair)) {
                JsonResponses.error(resp, 404, "no pair '" + pair + "'");
                return;
            }
            LOG.info("Management: {} probed pair '{}' over HTTP", user, pair);
            JsonResponses.send(resp, 200, new Json().object().field("ok", true).field("action", "probe")
                    .field("pair", pair).end().toString());
            return;
        }
        MemberRole role = parseRole(path.get(2));
        if (role == null) {
            JsonResponses.error(resp, 400, "member must be primary or backup, not '" + path.get(2) + "'");
            return;
        }
        boolean outOfService = path.get(3).equals("out-of-service");
        if (!control.setOutOfService(new MemberRef(pair, role), outOfService)) {
            JsonResponses.error(resp, 404, "no member " + path.get(2) + " in pair '" + pair + "'");
            return;
        }
        LOG.info("Management: {} put {}/{} {} over HTTP", user, pair, path.get(2), path.get(3));
        Json j = new Json().object().field("ok", true).field("action", path.get(3)).field("pair", pair)
                .field("member", role.name().toLowerCase(Locale.ROOT)).field("outOfService", outOfService);
        SipServerPairs p = pairs;
        if (p != null) {
            p.pair(pair).ifPresent(state -> j.name("pairState").raw(Views.pair(state)));
        }
        JsonResponses.send(resp, 200, j.end().toString());
    }

    static MemberRole parseRole(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "primary" -> MemberRole.PRIMARY;
            case "backup" -> MemberRole.BACKUP;
            default -> null;
        };
    }

    private static void notFound(HttpServletResponse resp, HttpServletRequest req) throws IOException {
        JsonResponses.error(resp, 404, "no such resource: " + req.getMethod() + " " + req.getRequestURI());
    }
}
