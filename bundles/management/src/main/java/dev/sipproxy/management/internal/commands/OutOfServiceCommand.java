package dev.sipproxy.management.internal.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "sip", name = "out-of-service",
        description = "Takes a pair member out of service: it gets no new calls, whatever its probes say (calls in progress continue)")
@Service
public class OutOfServiceCommand extends MemberAction {
    @Override
    boolean outOfService() {
        return true;
    }
}
