package dev.sipproxy.management.internal.commands;

import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.ProxyStatistics;

import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "sip", name = "stats", description = "Shows the traffic and admission counters since start")
@Service
public class StatsCommand implements Action {

    @Reference(optional = true)
    private ProxyStatistics proxy;

    @Reference(optional = true)
    private AdmissionStatistics admission;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        if (proxy == null) {
            table.addRow().addContent("proxy statistics", "not available");
        } else {
            new TreeMap<>(proxy.requestsReceived()).forEach((m, n) -> table.addRow().addContent("requests received " + m, n));
            new TreeMap<>(proxy.responsesSent()).forEach((c, n) -> table.addRow().addContent("responses sent " + c, n));
            new TreeMap<>(proxy.rejections()).forEach((c, n) -> table.addRow().addContent("answered by the proxy " + c, n));
            table.addRow().addContent("calls in progress", proxy.callsInProgress());
            table.addRow().addContent("failovers", proxy.failovers());
        }
        if (admission == null) {
            table.addRow().addContent("admission statistics", "not available");
        } else {
            table.addRow().addContent("dialogs admitted", admission.admittedDialogs());
            table.addRow().addContent("dialogs rejected", admission.rejectedDialogs());
            table.addRow().addContent("dialog rate limit /s", admission.dialogRateLimit() == 0 ? "none" : admission.dialogRateLimit());
            table.addRow().addContent("overloaded", admission.overloaded() ? "yes" : "no");
            table.addRow().addContent("behind (receive backlog ms)", (admission.behind()
                    ? "yes, new dialogs limited to " + admission.adaptiveRateLimit() + "/s" : "no") + " (" + admission.receiveBacklogMillis() + ")");
        }
        table.print(System.out);
        return null;
    }
}
