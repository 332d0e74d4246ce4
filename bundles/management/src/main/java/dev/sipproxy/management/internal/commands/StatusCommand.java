package dev.sipproxy.management.internal.commands;

import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.transport.ListeningPointInfo;
import dev.sipproxy.api.transport.SipTransport;
import dev.sipproxy.management.internal.Views;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.FrameworkUtil;

@Command(scope = "sip", name = "status", description = "Shows the proxy's version, identity, uptime, listening points and overall health")
@Service
public class StatusCommand implements Action {

    @Reference(optional = true)
    private SipTransport transport;

    @Reference(optional = true)
    private SipServerPairs pairs;

    @Reference(optional = true)
    private AlarmService alarms;

    @Reference(optional = true)
    private AdmissionStatistics admission;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Property");
        table.column("Value");
        table.addRow().addContent("Version", FrameworkUtil.getBundle(getClass()).getVersion());
        table.addRow().addContent("Instance", Views.instanceId(transport));
        table.addRow().addContent("Uptime", Tables.duration(Views.uptimeMillis()));
        if (transport == null) {
            table.addRow().addContent("Listening points", "none: the SIP stack is not running");
        } else {
            List<ListeningPointInfo> lps = transport.listeningPoints();
            table.addRow().addContent("Listening points", lps.stream()
                    .map(lp -> lp.transport().token() + " " + lp.address() + ":" + lp.port())
                    .collect(Collectors.joining(", ")));
        }
        if (pairs == null) {
            table.addRow().addContent("SIP Server pairs", Tables.absent("health"));
        } else {
            List<PairState> ps = pairs.pairs();
            table.addRow().addContent("SIP Server pairs", ps.stream().filter(PairState::inService).count()
                    + " of " + ps.size() + " in service");
        }
        table.addRow().addContent("Active alarms", alarms == null ? Tables.absent("alarms") : alarms.active().size());
        if (admission != null) {
            table.addRow().addContent("Overload control", (admission.dialogRateLimit() == 0 ? "no limit"
                    : admission.dialogRateLimit() + " dialogs/s") + (admission.behind() ? ", BEHIND, new dialogs limited to " + admission.adaptiveRateLimit() + "/s" : admission.overloaded() ? ", REFUSING new dialogs" : ""));
        }
        table.print(System.out);
        return null;
    }
}
