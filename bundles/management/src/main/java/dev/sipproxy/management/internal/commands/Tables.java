package dev.sipproxy.management.internal.commands;

import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.management.internal.Views;

import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.Collection;
import java.util.Date;
import java.util.Locale;

import org.apache.karaf.shell.support.table.ShellTable;

/** The tables the sip:* commands print. */
final class Tables {
    private Tables() {
    }

    static void servers(Collection<PairState> pairs, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Pair");
        table.column("In service");
        table.column("Member");
        table.column("Active");
        table.column("Address");
        table.column("IP");
        table.column("State");
        table.column("Last response");
        table.column("Last code").alignRight();
        table.column("Failures").alignRight();
        for (PairState p : pairs) {
            for (MemberState m : p.members()) {
                boolean active = p.active().map(a -> a == m.role()).orElse(false);
                table.addRow().addContent(p.pair().name(), p.inService() ? "yes" : "NO", Views.role(m),
                        active ? "*" : "", m.address().toString(), m.ip() == null ? "-" : m.ip(), Views.state(m),
                        time(m.lastResponseMillis()), m.lastStatusCode() == 0 ? "-" : Integer.toString(m.lastStatusCode()),
                        m.consecutiveFailures());
            }
        }
        table.print(out);
    }

    static String time(long millis) {
        if (millis <= 0) {
            return "never";
        }
        return new SimpleDateFormat("yyyy-MM-dd HH:mm:ss", Locale.ROOT).format(new Date(millis));
    }

    static String duration(long millis) {
        long s = millis / 1000;
        long d = s / 86400;
        long h = s % 86400 / 3600;
        long m = s % 3600 / 60;
        return (d > 0 ? d + "d " : "") + String.format(Locale.ROOT, "%02d:%02d:%02d", h, m, s % 60);
    }

    static String absent(String what) {
        return what + " is not available (its bundle is not running)";
    }
}
