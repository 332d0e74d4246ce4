package dev.sipproxy.management.internal.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "sip", name = "in-service", description = "Puts a pair member taken out of service back into service")
@Service
public class InServiceCommand extends MemberAction {
    @Override
    boolean outOfService() {
        return false;
    }
}
