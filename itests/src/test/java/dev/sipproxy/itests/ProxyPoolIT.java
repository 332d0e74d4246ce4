package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.ProxyPool;
import dev.sipproxy.api.ProxyStatistics;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A pool of two proxy instances: A is this Pax Exam container, B a second Karaf started from the
 * same distribution with {@code bin/start} (and stopped with {@code bin/stop}) by the tests. Both
 * list A and B in {@code proxy-instances}, share a {@code pool-address}, send endpoint calls to the
 * same SIP Server pair, and probe each other every second (timeout 500 ms). Each test prints its
 * figures.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProxyPoolIT extends ProxyTestSupport {
    private static final int PEER_CHECK_SECONDS = 1;
    private static final int PEER_TIMEOUT_MS = 500;
    /** B's first start installs its boot features: slow on a loaded 2-core machine. */
    private static final Duration B_FIRST_BOOT_DEADLINE = Duration.ofSeconds(90);
    private static final Duration B_BOOT_DEADLINE = Duration.ofSeconds(60);
    private static final String ALARM_PEER = "OTHER_PROXY_INSTANCE_DISCONNECTED";
    private static final String ALARM_OWN = "OWN_PROXY_ADDR_NOT_FOUND";

    /** Instance B, shared by the tests of this class (they run in one container, one class loader). */
    private static KarafInstance instanceB;
    private static final AtomicInteger TESTS_FINISHED = new AtomicInteger();

    @Inject
    protected ProxyPool pool;

    @Inject
    protected AlarmService alarms;

    @Inject
    protected ProxyStatistics statistics;

    /** Runs in the driver JVM: B's SIP port, the pool address and the distribution reach the container. */
    @Override
    protected Option[] extraOptions() {
        try {
            String poolAddress = "127.0.0.1:" + freePort();
            String target = new File(System.getProperty("exam.workdir", "target/exam")).getAbsoluteFile().getParent();
            return new Option[] {
                editConfigurationFilePut("etc/system.properties", "itest.karaf.distribution", System.getProperty("karaf.distribution")),
                editConfigurationFilePut("etc/system.properties", "itest.target", target),
                editConfigurationFilePut("etc/system.properties", "itest.pool.b.port", Integer.toString(freePort())),
                editConfigurationFilePut("etc/system.properties", "itest.pool.address", poolAddress),
                editConfigurationFilePut("etc/dev.sipproxy.pool.cfg", "pool-address", poolAddress),
                editConfigurationFilePut("etc/dev.sipproxy.pool.cfg", "peer-check", Integer.toString(PEER_CHECK_SECONDS)),
                editConfigurationFilePut("etc/dev.sipproxy.pool.cfg", "peer-timeout", Integer.toString(PEER_TIMEOUT_MS)),
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int bPort() {
        return Integer.getInteger("itest.pool.b.port");
    }

    private static String addressA() {
        return "127.0.0.1:" + proxyPort();
    }

    private static String addressB() {
        return "127.0.0.1:" + bPort();
    }

    private static String poolAddress() {
        return System.getProperty("itest.pool.address");
    }

    /** B runs and A's pool is {A, B} with A routing and B answering A's probes. */
    @Before
    public void poolOfAandB() throws Exception {
        boolean first = instanceB == null;
        if (first) {
            instanceB = KarafInstance.unpack(Paths.get(System.getProperty("itest.karaf.distribution")),
                    Paths.get(System.getProperty("itest.target")).resolve("pool-instance-b-" + System.currentTimeMillis()));
            configureB(instanceB);
        }
        if (!instanceB.isRunning()) {
            instanceB.start();
            instanceB.awaitReady(first ? B_FIRST_BOOT_DEADLINE : B_BOOT_DEADLINE);
        }
        String list = addressA() + "," + addressB();
        java.util.Dictionary<String, Object> props = configAdmin.getConfiguration("dev.sipproxy.pool", null).getProperties();
        if (props == null || !list.equals(String.valueOf(props.get("proxy-instances")))) {
            updateConfig("dev.sipproxy.pool", "proxy-instances", list);
        }
        await("A routes and lists A and B", Duration.ofSeconds(10), () -> pool.routingAllowed() && pool.instances().size() == 2);
        await("A sees B up", B_BOOT_DEADLINE, () -> instanceOfB().map(ProxyPool.Instance::up).orElse(false));
    }

    /** The last test stops B; a JVM shutdown hook stops it too should the container end first. */
    @After
    public void stopBAfterTheLastTest() throws Exception {
        long tests = Stream.of(ProxyPoolIT.class.getMethods()).filter(m -> m.isAnnotationPresent(Test.class)).count();
        if (TESTS_FINISHED.incrementAndGet() >= tests && instanceB != null) {
            instanceB.close();
        }
    }

    private void configureB(KarafInstance b) throws IOException {
        b.set("etc/dev.sipproxy.transport.cfg", "sip-address", "127.0.0.1");
        b.set("etc/dev.sipproxy.transport.cfg", "sip-port", Integer.toString(bPort()));
        b.set("etc/dev.sipproxy.sipserver-default.cfg", "primary", "127.0.0.1:" + primaryPort());
        b.set("etc/dev.sipproxy.sipserver-default.cfg", "backup", "127.0.0.1:" + backupPort());
        b.set("etc/dev.sipproxy.health.cfg", "oos-check", "0");
        b.set("etc/dev.sipproxy.pool.cfg", "proxy-instances", addressA() + "," + addressB());
        b.set("etc/dev.sipproxy.pool.cfg", "pool-address", poolAddress());
        b.set("etc/dev.sipproxy.pool.cfg", "peer-check", Integer.toString(PEER_CHECK_SECONDS));
        b.set("etc/dev.sipproxy.pool.cfg", "peer-timeout", Integer.toString(PEER_TIMEOUT_MS));
        b.set("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort()));
        b.setIfFileExists("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort()));
        b.setIfFileExists("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort()));
        String http = Integer.toString(freePort());
        b.setIfKeyExists("etc/config.properties", "org.osgi.service.http.port", http);
        b.setIfKeyExists("etc/org.apache.felix.http.cfg", "org.osgi.service.http.port", http);
        b.setIfFileExists("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.offline", "true");
    }

    private Optional<ProxyPool.Instance> instanceOfB() {
        return pool.instances().stream().filter(i -> i.address().equals(new HostPort("127.0.0.1", bPort()))).findFirst();
    }

    private boolean alarmActive(String id, String subject) {
        return alarms.active().stream().anyMatch(a -> a.id().equals(id) && a.subject().equals(subject));
    }

    // ---- a) a dialog set up through A, its in-dialog requests through B ------------------------

    @Test
    public void callThroughAWhoseAckAndByeGoToBCompletesAtTheUas() throws Exception {
        // uas_pool.xml: uas.xml that answers the BYE where its Via says, not to the instance the INVITE came through
        try (Sipp uas = Sipp.uas("uas_pool.xml").localPort(primaryPort()).start(); RawSip uac = new RawSip()) {
            long byesAtA = statistics.requestsReceived().getOrDefault("BYE", 0L);
            long acksAtA = statistics.requestsReceived().getOrDefault("ACK", 0L);
            String callId = "pool-" + System.nanoTime() + "@127.0.0.1";
            String from = "<sip:caller@127.0.0.1:" + uac.port() + ">;tag=c" + System.nanoTime();
            String to = "<sip:callee@" + addressA() + ">";
            String sdp = "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n";

            long start = System.nanoTime();
            String invite = uac.request("INVITE", "sip:callee@" + addressA(), from, to, callId, "1 INVITE", List.of(),
                    List.of("Content-Type: application/sdp"), sdp);
            RawSip.Received ok = uac.sendUntil(invite, proxyPort(),
                    m -> m.startsWith("SIP/2.0 200") && RawSip.header(m, "CSeq").contains("INVITE"), Duration.ofSeconds(10));
            List<String> recordRoute = RawSip.headers(ok.text(), "Record-Route");
            assertFalse("200 OK carries the Record-Route\n" + ok.text(), recordRoute.isEmpty());
            assertTrue("A Record-Routes with the pool address " + poolAddress() + ": " + recordRoute,
                    recordRoute.get(0).contains("sip:" + poolAddress() + ";"));
            List<String> routeSet = new ArrayList<>(recordRoute);
            Collections.reverse(routeSet);
            String contact = RawSip.uriOf(RawSip.header(ok.text(), "Contact"));
            String toWithTag = RawSip.header(ok.text(), "To");
            List<String> route = List.of("Route: " + String.join(", ", routeSet));

            String ack = uac.request("ACK", contact, from, toWithTag, callId, "1 ACK", route, List.of(), "");
            uac.send(ack, bPort());
            // a caller hangs up after a while; B proxies requests on several threads, so a BYE sent at
            // once might overtake the ACK, which sipp's UAS does not accept
            Thread.sleep(300);
            String bye = uac.request("BYE", contact, from, toWithTag, callId, "2 BYE", route, List.of(), "");
            RawSip.Received byeOk = uac.sendUntil(bye, bPort(),
                    m -> m.startsWith("SIP/2.0 200") && RawSip.header(m, "CSeq").contains("BYE"), Duration.ofSeconds(10));
            long callMillis = (System.nanoTime() - start) / 1_000_000;

            assertEquals("B answered the BYE", bPort(), byeOk.fromPort());
            Sipp.Stats uasStats = uas.awaitSuccessful(1, Duration.ofSeconds(10));
            assertEquals("the UAS completed the call (INVITE, ACK and BYE through a proxy)\n" + uas.diagnostics(), 1, uasStats.successful());
            assertEquals("A saw no BYE", byesAtA, (long) statistics.requestsReceived().getOrDefault("BYE", 0L));
            assertEquals("A saw no ACK", acksAtA, (long) statistics.requestsReceived().getOrDefault("ACK", 0L));
            System.out.printf("FIGURES pool call: INVITE via A (%s), ACK and BYE via B (%s), Record-Route %s, %d ms%n",
                    addressA(), addressB(), recordRoute.get(0), callMillis);
        }
    }

    // ---- b) B stops: 40002 at A; B back: cleared ------------------------------------------------

    @Test
    public void instanceBStoppedRaises40002AtAAndItsReturnClearsIt() throws Exception {
        String subject = "instance:" + addressB();
        String event = "[40002 SPR_OTHER_PROXY_INSTANCE_DISCONNECTED] Proxy instance " + addressB() + " does not answer";
        long eventsBefore = logLinesContaining(event);
        assertFalse("no alarm for B while it answers", alarmActive(ALARM_PEER, subject));

        AtomicLong lastAnswer = new AtomicLong(System.nanoTime());
        try (RawSip watcher = new RawSip(); Prober prober = new Prober(watcher, bPort(), lastAnswer)) {
            long stopAt = System.nanoTime();
            CompletableFuture<Long> stopped = CompletableFuture.supplyAsync(() -> {
                instanceB.stopQuietly();
                return System.nanoTime();
            });
            await("alarm " + ALARM_PEER + " for B at A", Duration.ofSeconds(30), () -> alarmActive(ALARM_PEER, subject));
            long raisedAt = System.nanoTime();
            long exitedAt = stopped.get(60, TimeUnit.SECONDS);
            prober.close();
            long detectMillis = (raisedAt - lastAnswer.get()) / 1_000_000;
            awaitLogLine(event, eventsBefore + 1, Duration.ofSeconds(5));
            assertFalse("A's view shows B down", instanceOfB().get().up());
            Thread.sleep(3L * PEER_CHECK_SECONDS * 1000);
            assertEquals("40002 logged once for the transition, not once per probe", eventsBefore + 1, logLinesContaining(event));
            System.out.printf("FIGURES B stopped: B's last answer to OPTIONS %d ms after bin/stop; 40002 + alarm at A %d ms after "
                            + "B's last answer (%d ms after bin/stop); B's process gone %d ms after bin/stop%n",
                    (lastAnswer.get() - stopAt) / 1_000_000, detectMillis, (raisedAt - stopAt) / 1_000_000,
                    (exitedAt - stopAt) / 1_000_000);
            long bound = PEER_CHECK_SECONDS * 1000L + PEER_TIMEOUT_MS + 1000;
            assertTrue("detected within peer-check + peer-timeout + 1 s margin: " + detectMillis + " ms", detectMillis <= bound);
        }

        long startAt = System.nanoTime();
        instanceB.start();
        long readyAt = instanceB.awaitReady(B_BOOT_DEADLINE);
        await("alarm for B cleared at A", Duration.ofSeconds(20), () -> !alarmActive(ALARM_PEER, subject));
        long clearedAt = System.nanoTime();
        System.out.printf("FIGURES B started again: ready (40004 in its log) %d ms after bin/start; alarm cleared at A %d ms after "
                + "bin/start, %d ms after B was ready%n", (readyAt - startAt) / 1_000_000, (clearedAt - startAt) / 1_000_000,
                (clearedAt - readyAt) / 1_000_000);
        assertTrue("the return is logged", logLinesContaining("Proxy instance " + addressB() + " answers again") >= 1);
        assertTrue("the clear is in the alarm history", alarms.history().stream()
                .anyMatch(a -> a.id().equals(ALARM_PEER) && a.subject().equals(subject) && !a.active()));
        assertTrue("cleared within peer-check + peer-timeout + 1 s of B's readiness: " + (clearedAt - readyAt) / 1_000_000 + " ms",
                (clearedAt - readyAt) / 1_000_000 <= PEER_CHECK_SECONDS * 1000L + PEER_TIMEOUT_MS + 1000);
    }

    // ---- c) own address not in the list: 503 and 40000; corrected live: routes -----------------

    @Test
    public void instanceNotInTheListRefusesToRouteUntilTheListIsCorrectedLive() throws Exception {
        String typo = "127.0.0.1:" + freePort();
        String ownSubject = "instance:" + addressA();
        String event = "[40000 SPR_OWN_PROXY_ADDR_NOT_FOUND] This instance is not in proxy-instances [" + typo + ", " + addressB() + "]";
        updateConfig("dev.sipproxy.pool", "proxy-instances", typo + "," + addressB());
        await("A refuses to route", Duration.ofSeconds(10), () -> !pool.routingAllowed());
        awaitLogLine(event, 1, Duration.ofSeconds(5));
        assertTrue("40000 names the listening points it looked for", logLinesContaining("looked for the listening points [udp " + addressA()) >= 1);
        await("alarm " + ALARM_OWN, Duration.ofSeconds(5), () -> alarmActive(ALARM_OWN, ownSubject));
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp uac = Sipp.uac("uac_503.xml").remote(proxyPort()).calls(1).rate(1).start()) {
            assertAllCallsSucceeded(uac, 1, Duration.ofSeconds(20));
            assertTrue("no call reached the SIP Server", uas.stats().created() <= 0);
        }

        long fixedAt = System.nanoTime();
        updateConfig("dev.sipproxy.pool", "proxy-instances", addressA() + "," + addressB());
        await("A routes again", Duration.ofSeconds(10), () -> pool.routingAllowed());
        long routingMillis = (System.nanoTime() - fixedAt) / 1_000_000;
        await("alarm " + ALARM_OWN + " cleared", Duration.ofSeconds(5), () -> !alarmActive(ALARM_OWN, ownSubject));
        assertTrue("the fix is logged", logLinesContaining("in proxy-instances [" + addressA() + ", " + addressB() + "]: it routes again") >= 1);
        await("the typo's instance is no longer watched", Duration.ofSeconds(5),
                () -> !alarmActive(ALARM_PEER, "instance:" + typo));
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(3).rate(10).start()) {
            assertAllCallsSucceeded(uac, 3, Duration.ofSeconds(30));
            assertEquals(3, uas.awaitSuccessful(3, Duration.ofSeconds(10)).successful());
        }
        System.out.printf("FIGURES own address: INVITE answered 503 while A was not in the list; routing %d ms after the live fix%n",
                routingMillis);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Sends OPTIONS to a port every 100 ms and records when the last answer came. */
    private static final class Prober implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        Prober(RawSip sip, int port, AtomicLong lastAnswer) {
            thread = new Thread(() -> {
                int n = 0;
                while (running) {
                    try {
                        String callId = "watch-" + (n++) + "-" + System.nanoTime();
                        String options = sip.request("OPTIONS", "sip:127.0.0.1:" + port, "<sip:watch@127.0.0.1:" + sip.port() + ">;tag=w" + n,
                                "<sip:127.0.0.1:" + port + ">", callId, "1 OPTIONS", List.of(), List.of(), "");
                        sip.send(options, port);
                        if (sip.receive(m -> m.contains(callId) && m.startsWith("SIP/2.0 200"), Duration.ofMillis(100)) != null) {
                            lastAnswer.set(System.nanoTime());
                        }
                    } catch (IOException e) {
                        // ICMP port unreachable once B is gone: no answer
                    }
                }
            }, "pool-it-prober");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(2000);
        }
    }

    /** A bare SIP UDP endpoint on 127.0.0.1, for driving one call by hand. */
    static final class RawSip implements AutoCloseable {
        record Received(String text, int fromPort) {
        }

        private final DatagramSocket socket;
        private int branches;

        RawSip() throws IOException {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        }

        int port() {
            return socket.getLocalPort();
        }

        String request(String method, String uri, String from, String to, String callId, String cseq, List<String> extra,
                       List<String> bodyHeaders, String body) {
            StringBuilder b = new StringBuilder();
            b.append(method).append(' ').append(uri).append(" SIP/2.0\r\n");
            b.append("Via: SIP/2.0/UDP 127.0.0.1:").append(port()).append(";rport;branch=z9hG4bK-raw").append(System.nanoTime())
                    .append('-').append(++branches).append("\r\n");
            extra.forEach(h -> b.append(h).append("\r\n"));
            b.append("From: ").append(from).append("\r\n");
            b.append("To: ").append(to).append("\r\n");
            b.append("Call-ID: ").append(callId).append("\r\n");
            b.append("CSeq: ").append(cseq).append("\r\n");
            b.append("Contact: <sip:caller@127.0.0.1:").append(port()).append(">\r\n");
            b.append("Max-Forwards: 70\r\n");
            bodyHeaders.forEach(h -> b.append(h).append("\r\n"));
            b.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body);
            return b.toString();
        }

        void send(String message, int port) throws IOException {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }

        /** The first message that matches within the deadline (others are skipped), or null. */
        Received receive(Predicate<String> match, Duration deadline) throws IOException {
            long end = System.nanoTime() + deadline.toNanos();
            byte[] buf = new byte[65535];
            while (true) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return null;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                if (match.test(text)) {
                    return new Received(text, p.getPort());
                }
            }
        }

        /** Sends, and resends every 500 ms (as UDP's timer A would), until a matching message arrives. */
        Received sendUntil(String message, int port, Predicate<String> match, Duration deadline) throws IOException {
            long end = System.nanoTime() + deadline.toNanos();
            while (System.nanoTime() < end) {
                send(message, port);
                Received r = receive(match, Duration.ofMillis(500));
                if (r != null) {
                    return r;
                }
            }
            fail("no answer to\n" + message);
            return null;
        }

        /** Every value of a header (one per line or comma-separated entries kept as one line each). */
        static List<String> headers(String message, String name) {
            List<String> out = new ArrayList<>();
            for (String line : message.split("\r\n")) {
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    out.add(line.substring(colon + 1).trim());
                }
            }
            return out;
        }

        static String header(String message, String name) {
            List<String> all = headers(message, name);
            assertFalse("no " + name + " in\n" + message, all.isEmpty());
            return all.get(0);
        }

        /** The URI of a name-addr ({@code <sip:...>}) or the addr-spec itself. */
        static String uriOf(String value) {
            int lt = value.indexOf('<');
            int gt = value.indexOf('>');
            return lt >= 0 && gt > lt ? value.substring(lt + 1, gt) : value.split(";")[0];
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /**
     * A second Karaf of the same distribution, unpacked into its own directory, started with
     * {@code bin/start} and stopped with {@code bin/stop}; when the stop does not end it, its process
     * tree is killed. A JVM shutdown hook stops it should the tests not.
     */
    static final class KarafInstance {
        private final Path home;
        private final Thread shutdownHook;

        private KarafInstance(Path home) {
            this.home = home;
            this.shutdownHook = new Thread(this::stopQuietly, "stop-karaf-" + home.getFileName());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        static KarafInstance unpack(Path distribution, Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            Process tar = new ProcessBuilder("tar", "xzf", distribution.toString(), "-C", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("tar.out").toFile()).start();
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                tar.destroyForcibly();
                fail("could not unpack " + distribution + " into " + dir);
            }
            try (Stream<Path> s = Files.list(dir)) {
                Path home = s.filter(p -> Files.isDirectory(p) && Files.exists(p.resolve("bin/start"))).findFirst()
                        .orElseThrow(() -> new AssertionError("no bin/start under " + dir));
                return new KarafInstance(home);
            }
        }

        /** Sets {@code key = value} in a properties/cfg file (replacing an uncommented entry, else appending). */
        void set(String file, String key, String value) throws IOException {
            Path f = home.resolve(file);
            List<String> lines = Files.exists(f) ? new ArrayList<>(Files.readAllLines(f, StandardCharsets.ISO_8859_1)) : new ArrayList<>();
            boolean done = false;
            for (int i = 0; i < lines.size(); i++) {
                if (isEntry(lines.get(i), key)) {
                    lines.set(i, key + " = " + value);
                    done = true;
                }
            }
            if (!done) {
                lines.add(key + " = " + value);
            }
            Files.write(f, lines, StandardCharsets.ISO_8859_1);
        }

        void setIfFileExists(String file, String key, String value) throws IOException {
            if (Files.exists(home.resolve(file))) {
                set(file, key, value);
            }
        }

        void setIfKeyExists(String file, String key, String value) throws IOException {
            Path f = home.resolve(file);
            if (Files.exists(f) && Files.readAllLines(f, StandardCharsets.ISO_8859_1).stream().anyMatch(l -> isEntry(l, key))) {
                set(file, key, value);
            }
        }

        private static boolean isEntry(String line, String key) {
            String l = line.trim();
            if (!l.startsWith(key)) {
                return false;
            }
            String rest = l.substring(key.length()).trim();
            return rest.startsWith("=") || rest.startsWith(":");
        }

        private Path log() {
            return home.resolve("data/log/karaf.log");
        }

        private List<String> logLines() {
            try {
                return Files.exists(log()) ? Files.readAllLines(log(), StandardCharsets.ISO_8859_1) : List.of();
            } catch (IOException | UncheckedIOException e) {
                return List.of();
            }
        }

        private long readyLines() {
            return logLines().stream().filter(l -> l.contains("[40004 SPR_PROXY_INITIALIZED]")).count();
        }

        private long readyBefore;

        void start() throws IOException, InterruptedException {
            readyBefore = readyLines();
            Files.deleteIfExists(home.resolve("karaf.pid"));
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/start").toString()).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("start.out").toFile()));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("bin/start of " + home + " did not return");
            }
        }

        /** Waits for a new {@code [40004 SPR_PROXY_INITIALIZED]} in the instance's log; returns when it was seen (nanoTime). */
        long awaitReady(Duration deadline) throws InterruptedException {
            long end = System.nanoTime() + deadline.toNanos();
            while (readyLines() <= readyBefore) {
                if (System.nanoTime() > end) {
                    stopQuietly();
                    fail("instance " + home + " not ready within " + deadline + " (no new [40004 SPR_PROXY_INITIALIZED] in " + log() + ")");
                }
                Thread.sleep(50);
            }
            return System.nanoTime();
        }

        Optional<ProcessHandle> process() {
            try {
                Path pidFile = home.resolve("karaf.pid");
                if (!Files.exists(pidFile)) {
                    return Optional.empty();
                }
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        boolean isRunning() {
            return process().isPresent();
        }

        /** bin/stop, then waits for the process to end; kills its process tree if it does not. */
        void stop() throws IOException, InterruptedException {
            Optional<ProcessHandle> proc = process();
            if (proc.isEmpty()) {
                return;
            }
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("stop.out").toFile()));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process stop = pb.start();
            boolean stopReturned = stop.waitFor(20, TimeUnit.SECONDS);
            if (!stopReturned) {
                stop.destroyForcibly();
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (proc.get().isAlive() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            if (proc.get().isAlive()) {
                System.out.println("bin/stop did not end " + home + "; killing its process tree");
                kill(proc.get());
            }
        }

        private static void kill(ProcessHandle root) {
            root.descendants().forEach(ProcessHandle::destroyForcibly);
            root.destroyForcibly();
            root.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }

        /** Stops the instance for good: the shutdown hook is no longer needed. */
        void close() throws IOException, InterruptedException {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
        }

        void stopQuietly() {
            try {
                stop();
            } catch (Exception e) {
                process().ifPresent(KarafInstance::kill);
            }
        }
    }
}
