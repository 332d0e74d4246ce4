package dev.sipproxy.management.internal;

import dev.sipproxy.api.EventLog;
import dev.sipproxy.api.ProxyEvent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.DTOConstants;
import org.osgi.service.servlet.runtime.dto.FailedServletDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator when the HTTP management listener is not there, with event 40007
 * {@code PR_MGMT_LISTENER_CANNOT_START}. Felix HTTP registers its {@link HttpServiceRuntime} only
 * once Jetty has started with at least one bound connector; when the port cannot be bound it logs
 * an error and registers nothing. So: if no HttpServiceRuntime shows up within
 * {@code listener-check-seconds} of this component starting (or of the runtime going away, as it
 * does when Jetty restarts on a new configuration), the listener could not start. Its address is
 * then bound once for a moment to name the cause ("address in use"). While the runtime is there,
 * the whiteboard's failure DTOs of this bundle's servlets are reported the same way.
 * Nothing on the SIP side depends on any of this.
 */
@Component(immediate = true, configurationPid = ManagementConfig.PID)
public class HttpListenerWatch {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListenerWatch.class);
    static final String FELIX_HTTP_PID = "org.apache.felix.http";

    @Reference
    private ConfigurationAdmin configAdmin;

    private volatile HttpServiceRuntime runtime;
    private volatile String endpoint = "";
    private volatile BundleContext context;
    private volatile int graceSeconds = 20;
    private ManagementSettings settings;
    private volatile ScheduledExecutorService timer;
    /** True after 40007 was logged for a missing listener, until the listener is there again. */
    private volatile boolean reportedDown;
    private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindRuntime(HttpServiceRuntime rt, Map<String, Object> props) {
        runtime = rt;
        Object ep = props.get("osgi.http.endpoint");
        endpoint = ep instanceof String[] a ? String.join(", ", a) : String.valueOf(ep);
        if (reportedDown) {
            LOG.info("HTTP management listener is up again: {}", endpoint);
        }
        reportedDown = false;
        LOG.info("SIP proxy management on {} (status page sip-proxy/, API sip-proxy/api, metrics sip-proxy/metrics)", endpoint);
        schedule();
    }

    void unbindRuntime(HttpServiceRuntime rt) {
        if (runtime == rt) {
            runtime = null;
            schedule();
        }
    }

    @Activate
    void activate(BundleContext ctx, Map<String, Object> properties) {
        context = ctx;
        modified(properties);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-proxy-http-listener-watch");
            t.setDaemon(true);
            return t;
        });
        schedule();
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        settings = ManagementSettings.parseOr(properties, settings, false);
        graceSeconds = settings.listenerCheckSeconds();
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null) {
            t.shutdownNow();
        }
    }

    private void schedule() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            try {
                t.schedule(this::check, graceSeconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // deactivated meanwhile
            }
        }
    }

    void check() {
        try {
            HttpServiceRuntime rt = runtime;
            Map<String, Object> http = httpSettings();
            if (rt == null) {
                if (!reportedDown && !"false".equalsIgnoreCase(String.valueOf(http.get("org.apache.felix.http.enable")))) {
                    reportedDown = true;
                    String host = String.valueOf(http.get("org.apache.felix.http.host"));
                    int port = Integer.parseInt(String.valueOf(http.get("org.osgi.service.http.port")).trim());
                    EventLog.log(ProxyEvent.PR_MGMT_LISTENER_CANNOT_START,
                            "HTTP management listener {}:{} is not running {} s after start ({}); the SIP proxy keeps working. "
                                    + "Check org.osgi.service.http.port and org.apache.felix.http.host in etc/org.apache.felix.http.cfg "
                                    + "and etc/config.properties, and the Jetty messages in the log",
                            host, port, graceSeconds, bindProbe(host, port));
                }
                return;
            }
            RuntimeDTO dto = rt.getRuntimeDTO();
            if (dto.failedServletDTOs != null) {
                for (FailedServletDTO f : dto.failedServletDTOs) {
                    if (f.name != null && f.name.startsWith("sip-proxy-") && reportedFailures.add(f.name + "/" + f.failureReason)) {
                        EventLog.log(ProxyEvent.PR_MGMT_LISTENER_CANNOT_START,
                                "HTTP management servlet {} at {} was refused by the HTTP whiteboard: {}; the SIP proxy keeps working",
                                f.name, Arrays.toString(f.patterns), failureReason(f.failureReason));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not check the HTTP management listener", e);
        }
    }

    /** The effective Felix HTTP settings: Config Admin's over the framework properties over the defaults. */
    Map<String, Object> httpSettings() {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("org.osgi.service.http.port", "8080");
        m.put("org.apache.felix.http.host", "0.0.0.0");
        m.put("org.apache.felix.http.enable", "true");
        BundleContext ctx = context;
        for (String k : m.keySet().toArray(new String[0])) {
            String v = ctx == null ? null : ctx.getProperty(k);
            if (v != null && !v.isBlank()) {
                m.put(k, v.trim());
            }
        }
        try {
            Configuration[] cs = configAdmin.listConfigurations("(service.pid=" + FELIX_HTTP_PID + ")");
            if (cs != null && cs.length > 0) {
                Dictionary<String, Object> p = cs[0].getProperties();
                if (p != null) {
                    for (String k : m.keySet().toArray(new String[0])) {
                        Object v = p.get(k);
                        if (v != null && !v.toString().isBlank()) {
                            m.put(k, v.toString().trim());
                        }
                    }
                }
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.debug("Could not read {}", FELIX_HTTP_PID, e);
        }
        return m;
    }

    /** Binds {@code host:port} for a moment to tell why Jetty could not. */
    static String bindProbe(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return "the address is free now: Jetty did not start or failed otherwise";
        } catch (IOException e) {
            return "cannot bind " + host + ":" + port + ": " + e.getMessage();
        }
    }

    static String failureReason(int reason) {
        return switch (reason) {
            case DTOConstants.FAILURE_REASON_NO_SERVLET_CONTEXT_MATCHING -> "no servlet context matches";
            case DTOConstants.FAILURE_REASON_SERVLET_CONTEXT_FAILURE -> "servlet context failure";
            case DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE -> "shadowed by another service with the same pattern";
            case DTOConstants.FAILURE_REASON_EXCEPTION_ON_INIT -> "exception on init";
            case DTOConstants.FAILURE_REASON_SERVICE_NOT_GETTABLE -> "service not gettable";
            case DTOConstants.FAILURE_REASON_VALIDATION_FAILED -> "validation failed";
            case DTOConstants.FAILURE_REASON_SERVICE_IN_USE -> "service in use";
            default -> "failure reason " + reason;
        };
    }
}
