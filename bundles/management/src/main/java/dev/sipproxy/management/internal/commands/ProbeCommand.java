package dev.sipproxy.management.internal.commands;

import dev.sipproxy.api.HealthControl;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "sip", name = "probe", description = "Probes every member of a pair with OPTIONS now (see sip:servers for the outcome)")
@Service
public class ProbeCommand implements Action {

    @Argument(index = 0, name = "pair", description = "The SIP Server pair", required = true)
    @Completion(PairNameCompleter.class)
    private String pair;

    @Reference(optional = true)
    private HealthControl health;

    @Override
    public Object execute() {
        if (health == null) {
            System.err.println(Tables.absent("Health control"));
        } else if (health.probeNow(pair)) {
            System.out.println("Probing the members of pair '" + pair + "'; sip:servers shows the outcome");
        } else {
            System.err.println("No pair '" + pair + "'");
        }
        return null;
    }
}
