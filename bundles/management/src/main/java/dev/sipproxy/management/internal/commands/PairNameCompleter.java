package dev.sipproxy.management.internal.commands;

import dev.sipproxy.api.PairState;
import dev.sipproxy.api.SipServerPairs;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the names of the configured SIP Server pairs. */
@Service
public class PairNameCompleter implements Completer {

    @Reference(optional = true)
    private SipServerPairs pairs;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        SipServerPairs p = pairs;
        if (p != null) {
            for (PairState s : p.pairs()) {
                delegate.getStrings().add(s.pair().name());
            }
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
