package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.HealthControl;
import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.ProxyStatistics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The proxy changed while calls flow at 50 calls/s: bundles updated or restarted, configuration
 * changed. No call may fail, and what the operator sees (pair states, alarms, counters) survives.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveOperationsIT extends ProxyTestSupport {
    private static final int RATE = 50;
    /** 10 s of calls of 1 s each: about 50 calls are up at any moment, so some span every swap. */
    private static final int CALLS = 500;
    /** What the proxy core logs when it takes over the first request from an earlier revision. */
    private static final String TAKEN_OVER = "Taking over the requests in progress from an earlier start of the proxy core";

    @Inject
    private BundleContext context;

    @Inject
    private SessionFactory sessionFactory;

    /** What happens while the calls flow. */
    private interface Change {
        void run() throws Exception;
    }

    @Test
    public void routingBundleUpdatedWhileCallsFlowLosesNoCall() throws Exception {
        Bundle routing = bundle("dev.sipproxy.routing");
        BundleRevision before = routing.adapt(BundleRevision.class);
        long invitesBefore = service(ProxyStatistics.class).requestsReceived().get("INVITE");
        long takenOverBefore = logLinesContaining(TAKEN_OVER);

        // The callee rings for a second: about 50 INVITEs are in progress when the old revision stops.
        Sipp.Stats stats = underLoad("uas_ringing.xml", () -> console("bundle:update " + routing.getBundleId()));

        assertNotSame("a new revision of the routing bundle runs", before, routing.adapt(BundleRevision.class));
        assertEquals("the new revision took over INVITEs the old one had proxied (logged once)",
                takenOverBefore + 1, logLinesContaining(TAKEN_OVER));
        long invitesAfter = service(ProxyStatistics.class).requestsReceived().get("INVITE");
        assertTrue("the INVITE counter went on from " + invitesBefore + " (now " + invitesAfter + ")",
                invitesAfter >= invitesBefore + CALLS);
        System.out.println("FIGURES routing bundle:update under " + RATE + " cps: " + stats);
    }

    @Test
    public void callsCancelledAcrossARoutingUpdateEndWith487() throws Exception {
        Bundle routing = bundle("dev.sipproxy.routing");
        int calls = 100;
        // Each caller gives up after 1.5 s of ringing: the CANCELs of the INVITEs the old revision
        // proxied reach the new one, which finds them through the stack.
        try (Sipp uas = Sipp.uas("uas_cancel.xml").localPort(primaryPort()).start();
             Sipp uac = Sipp.uac("uac_cancel.xml").remote(proxyPort()).calls(calls).rate(20).callLengthMs(1500).start()) {
            await("calls ringing", Duration.ofSeconds(20), () -> uac.callsCreated() >= 40);
            console("bundle:update " + routing.getBundleId());
            Sipp.Stats stats = assertAllCallsSucceeded(uac, calls, Duration.ofSeconds(90));
            assertEquals("CANCELs that reached the callee", calls, uas.awaitSuccessful(calls, Duration.ofSeconds(10)).successful());
            System.out.println("FIGURES CANCEL across routing bundle:update: " + stats);
        }
    }

    @Test
    public void routingBundleRestartedTwiceWhileCallsFlowLosesNoCall() throws Exception {
        Bundle routing = bundle("dev.sipproxy.routing");
        Sipp.Stats stats = underLoad("uas_ringing.xml", () -> {
            console("bundle:restart " + routing.getBundleId());
            Thread.sleep(2000); // a second swap, with other calls in flight
            console("bundle:restart " + routing.getBundleId());
        });
        System.out.println("FIGURES routing bundle:restart x2 under " + RATE + " cps: " + stats);
    }

    @Test
    public void healthBundleRestartKeepsPairStateAndLosesNoCall() throws Exception {
        MemberRef primary = new MemberRef("default", MemberRole.PRIMARY);
        assertTrue(service(HealthControl.class).setOutOfService(primary, true));
        try (Sipp primaryUas = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp backupUas = Sipp.uas("uas.xml").localPort(backupPort()).start()) {
            Bundle health = bundle("dev.sipproxy.health");
            Sipp.Stats stats = underLoad(() -> console("bundle:restart " + health.getBundleId()));

            var state = service(dev.sipproxy.api.SipServerPairs.class).pair("default").orElseThrow();
            assertTrue("the primary is still out of service after the restart: " + state,
                    state.member(MemberRole.PRIMARY).orElseThrow().adminDown());
            assertEquals(java.util.Optional.of(MemberRole.BACKUP), state.active());
            assertEquals("no call reached the primary", 0, primaryUas.stats().created());
            backupUas.awaitSuccessful(CALLS, Duration.ofSeconds(10));
            System.out.println("FIGURES health bundle:restart under " + RATE + " cps: " + stats);
        } finally {
            HealthControl health = service(HealthControl.class);
            assertTrue(health.setOutOfService(primary, false));
            // the backup stays active (sticky) until it leaves service: back to the primary for the next tests
            MemberRef backup = new MemberRef("default", MemberRole.BACKUP);
            assertTrue(health.setOutOfService(backup, true));
            assertTrue(health.setOutOfService(backup, false));
            assertEquals(java.util.Optional.of(MemberRole.PRIMARY),
                    service(dev.sipproxy.api.SipServerPairs.class).pair("default").orElseThrow().active());
        }
    }

    @Test
    public void overloadUpdatedAndManagementRestartedWhileCallsFlowLoseNoCall() throws Exception {
        long admittedBefore = service(AdmissionStatistics.class).admittedDialogs();
        Bundle overload = bundle("dev.sipproxy.overload");
        Bundle management = bundle("dev.sipproxy.management");

        Sipp.Stats stats = underLoad(() -> {
            console("bundle:update " + overload.getBundleId());
            Thread.sleep(1000);
            console("bundle:restart " + management.getBundleId());
        });

        long admittedAfter = service(AdmissionStatistics.class).admittedDialogs();
        assertTrue("admitted dialogs went on from " + admittedBefore + " (now " + admittedAfter + ")",
                admittedAfter >= admittedBefore + CALLS - RATE);
        HttpClient http = HttpClient.newHttpClient();
        await("the management API answers again", Duration.ofSeconds(20), () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/sip-proxy/api/status")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        System.out.println("FIGURES overload bundle:update + management bundle:restart under " + RATE + " cps: " + stats);
    }

    @Test
    public void alarmsSurviveARestartOfTheAlarmsBundle() throws Exception {
        service(AlarmService.class).raise("ITEST_ALARM", ProxyEvent.Severity.MINOR, "itest:alarms", "raised before the restart");
        Bundle alarms = bundle("dev.sipproxy.alarms");
        console("bundle:restart " + alarms.getBundleId());
        await("the alarms bundle back", Duration.ofSeconds(10), () -> alarms.getState() == Bundle.ACTIVE);

        AlarmService after = service(AlarmService.class);
        assertTrue("still active: " + after.active(),
                after.active().stream().anyMatch(a -> a.id().equals("ITEST_ALARM") && a.subject().equals("itest:alarms")));
        assertTrue("in the history: " + after.history(), after.history().stream().map(Alarm::id).anyMatch("ITEST_ALARM"::equals));
        after.clear("ITEST_ALARM", "itest:alarms", "cleared after the restart");
        assertTrue(after.active().stream().noneMatch(a -> a.id().equals("ITEST_ALARM")));
    }

    @Test
    public void configurationChangedWhileCallsFlowLosesNoCall() throws Exception {
        int otherPort = freePort();
        org.osgi.service.cm.Configuration extraPair = configAdmin.createFactoryConfiguration(PAIR_FACTORY_PID, "?");
        try {
            Sipp.Stats stats = underLoad(() -> {
                updateConfig("dev.sipproxy.health", "oos-check", "1");        // probing on
                updateConfig("dev.sipproxy.overload", "overload-ctrl-dialog-rate", "1000");
                Dictionary<String, Object> pair = new Hashtable<>();
                pair.put("name", "extra");
                pair.put("primary", "127.0.0.1:" + otherPort);
                extraPair.update(pair);                                      // a pair added
                console("log:set DEBUG dev.sipproxy");                       // logging levels
                updateDefaultPair("backup", "127.0.0.1:" + otherPort);         // the backup moved
                Thread.sleep(1000);
                console("log:set INFO dev.sipproxy");
                updateDefaultPair("backup", "127.0.0.1:" + backupPort());
                updateConfig("dev.sipproxy.health", "probe-timeout", "800");
                // transport values that apply to the running stack (no restart, no lost transaction)
                updateConfig("dev.sipproxy.transport", "keepalive-interval", "20");
                updateConfig("dev.sipproxy.transport", "idle-timeout", "600");
                updateConfig("dev.sipproxy.overload", "overload-ctrl-dialog-rate", "0");
                extraPair.delete();                                           // and removed
            });
            System.out.println("FIGURES configuration changes under " + RATE + " cps: " + stats);
        } finally {
            updateConfig("dev.sipproxy.health", "oos-check", "0");
            updateConfig("dev.sipproxy.health", "probe-timeout", "500");
            updateConfig("dev.sipproxy.transport", "keepalive-interval", "30");
            updateConfig("dev.sipproxy.transport", "idle-timeout", "900");
        }
    }

    private Sipp.Stats underLoad(Change change) throws Exception {
        return underLoad("uas.xml", change);
    }

    /** Runs {@value #CALLS} calls at {@value #RATE}/s to a primary that plays {@code uasScenario}; {@code change} runs once 100 calls are up. */
    private Sipp.Stats underLoad(String uasScenario, Change change) throws Exception {
        try (Sipp uas = Sipp.uas(uasScenario).localPort(primaryPort()).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(CALLS).rate(RATE).callLengthMs(1000).start()) {
            await("calls flowing", Duration.ofSeconds(20), () -> uac.callsCreated() >= 100);
            change.run();
            return assertAllCallsSucceeded(uac, CALLS, Duration.ofSeconds(90));
        }
    }

    private String console(String command) throws Exception {
        return new KarafConsole(sessionFactory).run(command);
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /** The service as it is now (after a swap, a new object), waiting for it to come back. */
    private <T> T service(Class<T> type) throws InterruptedException {
        await(type.getSimpleName() + " registered", Duration.ofSeconds(20), () -> context.getServiceReference(type) != null);
        ServiceReference<T> ref = context.getServiceReference(type);
        T s = context.getService(ref);
        context.ungetService(ref); // the test only reads it, and the registry keeps it alive meanwhile
        return s;
    }
}
