package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Boots the real distribution once per test class, on free loopback ports: the proxy on
 * {@link #proxyPort()}, the default pair's primary and backup on {@link #primaryPort()} and
 * {@link #backupPort()} (where the tests start sipp UAS processes). The ports are chosen in the
 * driver JVM and reach the tests inside Karaf as system properties.
 * <p>
 * It refers to none of the proxy's own classes: a test class built on it alone can uninstall the
 * proxy's bundles without the test's own bundle being wired to them (and refreshed with them).
 */
public abstract class DistributionTestSupport {
    protected static final String PAIR_FACTORY_PID = "dev.sipproxy.sipserver";

    @Inject
    protected ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        String distribution = System.getProperty("karaf.distribution");
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        String workdir = System.getProperty("exam.workdir", "target/exam");
        int sip = freePort();
        int primary = freePort();
        int backup = freePort();
        int endpoint = freePort();
        int http = freePort();
        return new Option[] {
            karafDistributionConfiguration().frameworkUrl("file:" + distribution).karafVersion("4.4.10")
                    .name("sip-proxy").unpackDirectory(new File(workdir)).useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            // as the distribution's bin/setenv (Pax Exam starts java itself, without it): the datagram
            // socket that sends without a lock, on JDK 15-17
            vmOption("-Djdk.net.usePlainDatagramSocketImpl=true"),
            logLevel(LogLevel.INFO),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.offline", "true"),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/dev.sipproxy.transport.cfg", "sip-address", "127.0.0.1"),
            editConfigurationFilePut("etc/dev.sipproxy.transport.cfg", "sip-port", Integer.toString(sip)),
            editConfigurationFilePut("etc/dev.sipproxy.sipserver-default.cfg", "primary", "127.0.0.1:" + primary),
            editConfigurationFilePut("etc/dev.sipproxy.sipserver-default.cfg", "backup", "127.0.0.1:" + backup),
            editConfigurationFilePut("etc/system.properties", "itest.sip.port", Integer.toString(sip)),
            editConfigurationFilePut("etc/system.properties", "itest.primary.port", Integer.toString(primary)),
            editConfigurationFilePut("etc/system.properties", "itest.backup.port", Integer.toString(backup)),
            editConfigurationFilePut("etc/system.properties", "itest.endpoint.port", Integer.toString(endpoint)),
            // management HTTP: Jetty reads the framework property before Config Admin delivers the .cfg, so both
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.osgi.service.http.port", Integer.toString(http)),
            editConfigurationFilePut("etc/config.properties", "org.osgi.service.http.port", Integer.toString(http)),
            editConfigurationFilePut("etc/system.properties", "itest.http.port", Integer.toString(http)),
            // an admin user of the karaf JAAS realm (Karaf 4.4 ships every user commented out)
            editConfigurationFilePut("etc/users.properties", "admin", "secret,_g_:admingroup"),
            editConfigurationFilePut("etc/users.properties", "_g_:admingroup", "group,admin,manager,viewer,systembundles,ssh"),
            editConfigurationFilePut("etc/system.properties", "sipp.scenarios", System.getProperty("sipp.scenarios")),
            editConfigurationFilePut("etc/system.properties", "itest.workdir",
                    new File(workdir).getAbsoluteFile().getParent() + "/sipp-" + getClass().getSimpleName()),
            editConfigurationFilePut("etc/dev.sipproxy.health.cfg", "oos-check", Integer.toString(oosCheckSeconds())),
            editConfigurationFilePut("etc/dev.sipproxy.health.cfg", "oos-force", "1"),
            editConfigurationFilePut("etc/dev.sipproxy.health.cfg", "probe-timeout", "500"),
            // ITEST_KEEP=1 keeps the Karaf folder (target/exam/...) after the run, to read its log
            System.getenv("ITEST_KEEP") != null ? keepRuntimeFolder() : composite(),
            composite(extraOptions()),
        };
    }

    /**
     * The OPTIONS probe interval. Off (0) by default: most test classes start and stop the SIP
     * Servers per test, and probing would take the pair out of service between tests.
     */
    protected int oosCheckSeconds() {
        return 0;
    }

    /** More options for one test class. */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    protected static int proxyPort() {
        return Integer.getInteger("itest.sip.port");
    }

    protected static int primaryPort() {
        return Integer.getInteger("itest.primary.port");
    }

    protected static int backupPort() {
        return Integer.getInteger("itest.backup.port");
    }

    /** The management HTTP port (Felix HTTP Jetty) on 127.0.0.1. */
    protected static int httpPort() {
        return Integer.getInteger("itest.http.port");
    }

    protected static int endpointPort() {
        return Integer.getInteger("itest.endpoint.port");
    }

    /** Ports this JVM has handed out, so that it never hands one out twice. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port free for both UDP and TCP on 127.0.0.1, taken below Linux's ephemeral range (32768 and
     * up): the ports chosen when a class boots its container are used minutes later (a backup sipp
     * started mid-test), and a port from the ephemeral range could meanwhile go to any socket bound
     * to port 0 (the proxy's connections, sipp's, the JVM's). That happened: a backup sipp could
     * not bind, and the failover tests failed for want of a backup.
     */
    protected static int freePort() throws IOException {
        for (int i = 0; i < 500; i++) {
            int port = 20000 + ThreadLocalRandom.current().nextInt(12000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IOException("no free port");
    }

    /** Waits for {@code condition}, polling, and fails with {@code what} at the deadline. */
    protected static void await(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within " + deadline + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Updates the default pair's factory configuration and waits until the pair shows it. */
    protected void updateDefaultPair(String key, String value) throws IOException, InterruptedException {
        org.osgi.service.cm.Configuration c = defaultPairConfiguration();
        Dictionary<String, Object> props = c.getProperties();
        Dictionary<String, Object> next = new Hashtable<>();
        for (java.util.Enumeration<String> e = props.keys(); e.hasMoreElements(); ) {
            String k = e.nextElement();
            next.put(k, props.get(k));
        }
        next.put(key, value);
        c.update(next);
    }

    protected org.osgi.service.cm.Configuration defaultPairConfiguration() throws IOException {
        try {
            org.osgi.service.cm.Configuration[] found = configAdmin.listConfigurations(
                    "(&(service.factoryPid=" + PAIR_FACTORY_PID + ")(name=default))");
            assertEquals("one configuration of pair 'default'", 1, found == null ? 0 : found.length);
            return found[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Updates one value of a singleton configuration (its other values stay). */
    protected void updateConfig(String pid, String key, Object value) throws IOException {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(pid, null);
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        props.put(key, value);
        c.update(props);
    }

    /** Lines of the Karaf log that contain {@code text}. */
    protected static long logLinesContaining(String text) throws IOException {
        return logLinesWith(text).size();
    }

    /** The lines of the Karaf log that contain {@code text}. */
    protected static List<String> logLinesWith(String text) throws IOException {
        Path log = Paths.get(System.getProperty("karaf.data"), "log", "karaf.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    protected void awaitLogLine(String text, long atLeast, Duration deadline) throws InterruptedException {
        await("a log line containing '" + text + "'", deadline, () -> {
            try {
                return logLinesContaining(text) >= atLeast;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Asserts a sipp run ended with every call successful and returns its statistics. */
    protected static Sipp.Stats assertAllCallsSucceeded(Sipp sipp, int calls, Duration deadline) throws Exception {
        int exit = sipp.awaitExit(deadline);
        Sipp.Stats stats = sipp.stats();
        if (exit != 0 || stats.successful() != calls || stats.failed() != 0) {
            fail("expected " + calls + " successful calls, exit 0; got exit " + exit + ", " + stats + "\n" + sipp.diagnostics());
        }
        return stats;
    }
}
