package dev.sipproxy.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/** Runs Karaf console commands as an admin, the way Karaf's own itests do. */
final class KarafConsole {
    private final SessionFactory sessions;

    KarafConsole(SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Runs {@code command} and returns what it printed (also echoed to the test output). */
    String run(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("admin"));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        subject.getPrincipals().add(new RolePrincipal("manager"));
        subject.getPrincipals().add(new RolePrincipal("viewer"));
        Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } finally {
            out.flush();
            session.close();
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.println("karaf@sip-proxy()> " + command + "\n" + text);
        return text;
    }
}
