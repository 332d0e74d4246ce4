package dev.sipproxy.management.internal;

import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.ProxyStatistics;
import dev.sipproxy.api.SipServerPairs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code GET /sip-proxy/metrics}: the statistics in the Prometheus text format. */
@Component(service = Servlet.class, configurationPid = ManagementConfig.PID, property = {
    "osgi.http.whiteboard.servlet.pattern=/sip-proxy/metrics",
    "osgi.http.whiteboard.servlet.name=sip-proxy-metrics",
})
public class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SipServerPairs pairs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ProxyStatistics proxyStatistics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AdmissionStatistics admissionStatistics;

    private volatile Authenticator authenticator = new Authenticator("karaf");
    private volatile boolean readOnlyOpen = true;
    private ManagementSettings settings;

    @Activate
    @Modified
    synchronized void configure(Map<String, Object> properties) {
        settings = ManagementSettings.parseOr(properties, settings, false);
        authenticator = new Authenticator(settings.realm());
        readOnlyOpen = settings.readOnlyOpen();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (authenticator.check(req, resp, readOnlyOpen ? null : Authenticator.VIEW_ROLES) == null) {
            return;
        }
        byte[] body = Prometheus.render(proxyStatistics, admissionStatistics, pairs, alarms).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(Prometheus.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
