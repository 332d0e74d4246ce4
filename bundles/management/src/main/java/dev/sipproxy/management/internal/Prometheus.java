package dev.sipproxy.management.internal;

import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.ProxyStatistics;
import dev.sipproxy.api.SipServerPairs;

import java.util.TreeMap;

/**
 * The Prometheus text exposition format (version 0.0.4) of the proxy's statistics. Every metric
 * family always has its HELP and TYPE lines; samples only when the service behind them is there.
 */
final class Prometheus {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(2048);

    static String render(ProxyStatistics proxy, AdmissionStatistics admission, SipServerPairs pairs, AlarmService alarms) {
        Prometheus p = new Prometheus();
        p.family("sip_proxy_requests_received_total", "counter", "SIP requests received, by method");
        if (proxy != null) {
            new TreeMap<>(proxy.requestsReceived()).forEach((m, n) -> p.sample("sip_proxy_requests_received_total", n, "method", m));
        }
        p.family("sip_proxy_responses_sent_total", "counter", "SIP responses sent upstream (forwarded or generated), by class");
        if (proxy != null) {
            new TreeMap<>(proxy.responsesSent()).forEach((c, n) -> p.sample("sip_proxy_responses_sent_total", n, "class", c));
        }
        p.family("sip_proxy_rejections_total", "counter", "Requests answered by the proxy itself instead of forwarded, by status code");
        if (proxy != null) {
            new TreeMap<>(proxy.rejections()).forEach((c, n) -> p.sample("sip_proxy_rejections_total", n, "code", Integer.toString(c)));
        }
        p.family("sip_proxy_calls_in_progress", "gauge", "INVITE transactions without a final response yet");
        if (proxy != null) {
            p.sample("sip_proxy_calls_in_progress", proxy.callsInProgress());
        }
        p.family("sip_proxy_failovers_total", "counter", "Requests retried on the other member of a pair");
        if (proxy != null) {
            p.sample("sip_proxy_failovers_total", proxy.failovers());
        }
        p.family("sip_proxy_dialogs_admitted_total", "counter", "New dialogs admitted by overload control");
        p.family("sip_proxy_dialogs_rejected_total", "counter", "New dialogs refused (503) by overload control");
        p.family("sip_proxy_overloaded", "gauge", "1 while overload control is refusing new dialogs");
        p.family("sip_proxy_dialog_rate_limit", "gauge", "Configured new dialogs per second; 0 means no limit");
        p.family("sip_proxy_behind", "gauge", "1 while new dialogs are limited because received messages wait too long");
        p.family("sip_proxy_adaptive_dialog_rate_limit", "gauge", "While behind: new dialogs per second admitted now; else 0");
        p.family("sip_proxy_receive_backlog_milliseconds", "gauge", "How long the oldest received, unprocessed message has waited");
        if (admission != null) {
            p.sample("sip_proxy_dialogs_admitted_total", admission.admittedDialogs());
            p.sample("sip_proxy_dialogs_rejected_total", admission.rejectedDialogs());
            p.sample("sip_proxy_overloaded", admission.overloaded() ? 1 : 0);
            p.sample("sip_proxy_dialog_rate_limit", admission.dialogRateLimit());
            p.sample("sip_proxy_behind", admission.behind() ? 1 : 0);
            p.sample("sip_proxy_adaptive_dialog_rate_limit", admission.adaptiveRateLimit());
            p.sample("sip_proxy_receive_backlog_milliseconds", admission.receiveBacklogMillis());
        }
        p.family("sip_proxy_pair_in_service", "gauge", "1 when the SIP Server pair has a member that takes calls");
        p.family("sip_proxy_member_up", "gauge", "1 when the pair member answers");
        p.family("sip_proxy_member_admin_down", "gauge", "1 when an operator took the pair member out of service");
        p.family("sip_proxy_member_active", "gauge", "1 for the pair member that gets new calls");
        if (pairs != null) {
            for (PairState ps : pairs.pairs()) {
                String pair = ps.pair().name();
                p.sample("sip_proxy_pair_in_service", ps.inService() ? 1 : 0, "pair", pair);
                for (MemberState m : ps.members()) {
                    String member = Views.role(m);
                    p.sample("sip_proxy_member_up", m.up() ? 1 : 0, "pair", pair, "member", member);
                    p.sample("sip_proxy_member_admin_down", m.adminDown() ? 1 : 0, "pair", pair, "member", member);
                    p.sample("sip_proxy_member_active", ps.active().map(a -> a == m.role()).orElse(false) ? 1 : 0,
                            "pair", pair, "member", member);
                }
            }
        }
        p.family("sip_proxy_alarms_active", "gauge", "Active alarms");
        if (alarms != null) {
            p.sample("sip_proxy_alarms_active", alarms.active().size());
        }
        p.family("sip_proxy_uptime_seconds", "gauge", "Seconds since the Karaf JVM started");
        p.sample("sip_proxy_uptime_seconds", Views.uptimeMillis() / 1000);
        return p.out.toString();
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, long value, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
