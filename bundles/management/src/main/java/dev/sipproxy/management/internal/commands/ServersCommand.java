package dev.sipproxy.management.internal.commands;

import dev.sipproxy.api.PairState;
import dev.sipproxy.api.SipServerPairs;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "sip", name = "servers", description = "Lists the SIP Server pairs and the state of their members")
@Service
public class ServersCommand implements Action {

    @Argument(index = 0, name = "pair", description = "Only this pair", required = false)
    @Completion(PairNameCompleter.class)
    private String pair;

    @Reference(optional = true)
    private SipServerPairs pairs;

    @Override
    public Object execute() {
        if (pairs == null) {
            System.err.println(Tables.absent("The SIP Server pairs service"));
            return null;
        }
        List<PairState> list;
        if (pair == null) {
            list = pairs.pairs();
        } else {
            list = pairs.pair(pair).map(List::of).orElse(List.of());
            if (list.isEmpty()) {
                System.err.println("No pair '" + pair + "'");
                return null;
            }
        }
        Tables.servers(list, System.out);
        return null;
    }
}
