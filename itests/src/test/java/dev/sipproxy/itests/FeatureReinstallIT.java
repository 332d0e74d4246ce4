package dev.sipproxy.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * {@code feature:uninstall} of the proxy (through the FeaturesService the command calls) leaves nothing behind (no thread, no bound port, no
 * service, no bundle), and {@code feature:install} brings it back to routing calls. Built on
 * {@link DistributionTestSupport} alone: this test's bundle must not be wired to the proxy's API, or
 * uninstalling the API bundle would refresh (restart) the test itself.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureReinstallIT extends DistributionTestSupport {
    /**
     * Threads the proxy starts: its own executors, the SIP stack's (JAIN-SIP names them after their
     * job), and Jetty's pool of the management feature.
     */
    private static final Pattern PROXY_THREADS = Pattern.compile(
            "sip-proxy.*|.*MessageChannel.*|.*MessageProcessor.*|.*SipTimer.*|.*jain_sip.*|.*DispatchAuditor.*|qtp.*");

    @Inject
    private BundleContext context;

    /** What {@code feature:uninstall} and {@code feature:install} call (injected: the test waits for it). */
    @Inject
    private FeaturesService features;

    @Test
    public void uninstallLeavesNothingBehindAndInstallRoutesCallsAgain() throws Exception {
        callsComplete(10);
        List<String> running = proxyThreads();
        System.out.println("Proxy threads before feature:uninstall: " + running);
        assertFalse("the proxy's threads are recognised before the uninstall", running.isEmpty());

        features.uninstallFeature("sip-proxy-management");
        features.uninstallFeature("sip-proxy");

        await("no bundle dev.sipproxy.* left", Duration.ofSeconds(30), () -> Arrays.stream(context.getBundles())
                .noneMatch(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("dev.sipproxy.")));
        await("no proxy thread left (left: " + proxyThreads() + ")", Duration.ofSeconds(20), () -> proxyThreads().isEmpty());
        await("SIP port " + proxyPort() + " free (UDP and TCP)", Duration.ofSeconds(10), () -> free(proxyPort()));
        await("management HTTP port " + httpPort() + " free", Duration.ofSeconds(10), () -> free(httpPort()));
        assertNull("no service of the proxy registered",
                context.getServiceReferences((String) null, "(objectClass=dev.sipproxy.*)"));
        System.out.println("FIGURES after feature:uninstall: 0 proxy threads (" + running.size()
                + " before), ports " + proxyPort() + "/udp+tcp and " + httpPort() + "/tcp free, 0 services");

        long ready = logLinesContaining("[40004 SPR_PROXY_INITIALIZED]");
        features.installFeatures(java.util.Set.of("sip-proxy", "sip-proxy-management"), java.util.EnumSet.noneOf(FeaturesService.Option.class));
        awaitLogLine("[40004 SPR_PROXY_INITIALIZED]", ready + 1, Duration.ofSeconds(60));
        callsComplete(10);
    }

    private void callsComplete(int calls) throws Exception {
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(calls).rate(10).start()) {
            assertAllCallsSucceeded(uac, calls, Duration.ofSeconds(30));
        }
    }

    private static List<String> proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> PROXY_THREADS.matcher(n).matches()).sorted().collect(Collectors.toList());
    }

    private static boolean free(int port) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket tcp = new ServerSocket(port, 1, lo); DatagramSocket udp = new DatagramSocket(port, lo)) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
