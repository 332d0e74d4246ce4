package dev.sipproxy.management.internal.commands;

import dev.sipproxy.api.HealthControl;
import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.SipServerPairs;

import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** sip:out-of-service and sip:in-service. */
abstract class MemberAction implements Action {

    @Argument(index = 0, name = "pair", description = "The SIP Server pair", required = true)
    @Completion(PairNameCompleter.class)
    String pair;

    @Argument(index = 1, name = "member", description = "primary or backup", required = true)
    @Completion(value = StringsCompleter.class, values = {"primary", "backup"})
    String member;

    @Reference(optional = true)
    HealthControl health;

    @Reference(optional = true)
    SipServerPairs pairs;

    abstract boolean outOfService();

    @Override
    public Object execute() {
        MemberRole role;
        switch (member.toLowerCase(Locale.ROOT)) {
            case "primary" -> role = MemberRole.PRIMARY;
            case "backup" -> role = MemberRole.BACKUP;
            default -> {
                System.err.println("The member is primary or backup, not '" + member + "'");
                return null;
            }
        }
        if (health == null) {
            System.err.println(Tables.absent("Health control"));
            return null;
        }
        MemberRef ref = new MemberRef(pair, role);
        if (!health.setOutOfService(ref, outOfService())) {
            System.err.println("No member " + ref);
            return null;
        }
        System.out.println(ref + (outOfService() ? " is out of service: it gets no new calls" : " is back in service"));
        if (pairs != null) {
            pairs.pair(pair).ifPresent(p -> Tables.servers(List.of(p), System.out));
        }
        return null;
    }
}
