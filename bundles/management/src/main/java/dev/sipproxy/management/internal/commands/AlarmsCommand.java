package dev.sipproxy.management.internal.commands;

import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.AlarmService;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "sip", name = "alarms", description = "Lists the active alarms; with --history also the recently raised and cleared ones")
@Service
public class AlarmsCommand implements Action {

    @Option(name = "-H", aliases = "--history", description = "Show the alarm history (newest first) instead of the active alarms")
    private boolean history;

    @Reference(optional = true)
    private AlarmService alarms;

    @Override
    public Object execute() {
        if (alarms == null) {
            System.err.println(Tables.absent("The alarm service"));
            return null;
        }
        List<Alarm> list = history ? alarms.history() : alarms.active();
        ShellTable table = new ShellTable();
        table.column("Severity");
        table.column("Event");
        table.column("Alarm");
        table.column("Subject");
        table.column("First seen");
        table.column("Last seen");
        table.column("Count").alignRight();
        table.column(history ? "Cleared" : "Text");
        table.emptyTableText(history ? "no alarm history" : "no active alarms");
        for (Alarm a : list) {
            table.addRow().addContent(a.severity(), a.eventId(), a.id(), a.subject(), Tables.time(a.firstSeen()),
                    Tables.time(a.lastSeen()), a.count(), history ? (a.active() ? "active" : Tables.time(a.clearedAt())) : a.text());
        }
        table.print(System.out);
        return null;
    }
}
