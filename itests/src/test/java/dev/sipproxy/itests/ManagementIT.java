package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.PairState;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The management bundle: the JSON API, its authentication, the Prometheus endpoint, the status
 * page and the sip:* console commands, against the real distribution. The HTTP listener is on
 * {@link #httpPort()}; {@code admin/secret} is an admin of the karaf realm, {@code operator/op}
 * only a viewer.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ManagementIT extends ProxyTestSupport {
    private static final String ADMIN = "admin:secret";

    @Inject
    protected SessionFactory sessionFactory;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/users.properties", "operator", "op,viewer"),
        };
    }

    @Before
    public void httpUp() throws Exception {
        await("the management API answering on port " + httpPort(), Duration.ofSeconds(30), () -> {
            try {
                return get("/sip-proxy/api/status", null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @After
    public void backInService() {
        for (MemberRole role : MemberRole.values()) {
            try {
                post("/sip-proxy/api/servers/default/" + role.name().toLowerCase() + "/in-service", ADMIN);
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    public void statusNamesVersionUptimeListeningPointsAndInstance() throws Exception {
        String body = ok(get("/sip-proxy/api/status", null));
        assertFields(body, "version", "uptimeMillis", "startedAt", "instance", "hostname", "sipPort", "id", "listeningPoints",
                "transport", "address", "port");
        assertTrue(body, body.contains("\"sipPort\":" + proxyPort()));
        assertTrue(body, body.matches("(?s).*\"id\":\"[^\"]+:" + proxyPort() + "\".*"));
        assertTrue(body, body.contains("{\"transport\":\"udp\",\"address\":\"127.0.0.1\",\"port\":" + proxyPort() + "}"));
        // no path is the status too
        ok(get("/sip-proxy/api", null));
    }

    @Test
    public void serversShowThePairAndEveryMemberField() throws Exception {
        String body = ok(get("/sip-proxy/api/servers", null));
        assertFields(body, "pairs", "name", "inService", "active", "members", "role", "address", "ip", "up", "adminDown",
                "lastResponseMillis", "lastStatusCode", "consecutiveFailures");
        assertTrue(body, body.contains("\"name\":\"default\""));
        assertTrue(body, body.contains("\"role\":\"primary\",\"address\":\"127.0.0.1:" + primaryPort() + "\""));
        assertTrue(body, body.contains("\"role\":\"backup\",\"address\":\"127.0.0.1:" + backupPort() + "\""));
        String one = ok(get("/sip-proxy/api/servers/default", null));
        assertTrue(one, one.startsWith("{\"name\":\"default\""));
        assertEquals(404, get("/sip-proxy/api/servers/no-such-pair", null).statusCode());
    }

    @Test
    public void alarmsAndStatsAnswer() throws Exception {
        String alarms = ok(get("/sip-proxy/api/alarms", null));
        assertFields(alarms, "available", "active", "history");
        String stats = ok(get("/sip-proxy/api/stats", null));
        assertFields(stats, "proxy", "requestsReceived", "responsesSent", "callsInProgress", "failovers", "admission",
                "admittedDialogs", "rejectedDialogs", "overloaded", "dialogRateLimit");
        assertEquals(404, get("/sip-proxy/api/nothing-here", null).statusCode());
    }

    @Test
    public void configNeedsAnAdminAndShowsTheSipProxyConfigurations() throws Exception {
        HttpResponse<String> anonymous = get("/sip-proxy/api/config", null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"sip-proxy\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, get("/sip-proxy/api/config", "admin:wrong").statusCode());
        assertEquals(403, get("/sip-proxy/api/config", "operator:op").statusCode());
        String body = ok(get("/sip-proxy/api/config", ADMIN));
        assertFields(body, "configurations", "pid", "factoryPid", "properties");
        assertTrue(body, body.contains("\"pid\":\"dev.sipproxy.transport\""));
        assertTrue(body, body.contains("\"sip-port\":\"" + proxyPort() + "\""));
        assertTrue(body, body.contains("\"factoryPid\":\"dev.sipproxy.sipserver\""));
        assertTrue(body, body.contains("\"pid\":\"dev.sipproxy.management\""));
        assertTrue("no foreign configurations: " + body, !body.contains("org.apache.felix.http"));
    }

    @Test
    public void actionsNeedAnAdmin() throws Exception {
        String path = "/sip-proxy/api/servers/default/primary/out-of-service";
        HttpResponse<String> anonymous = post(path, null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"sip-proxy\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, post(path, "admin:wrong").statusCode());
        assertEquals(401, post(path, "nobody:secret").statusCode());
        assertEquals(403, post(path, "operator:op").statusCode());
        assertTrue("nothing changed", !memberAdminDown(MemberRole.PRIMARY));
        assertEquals(404, post("/sip-proxy/api/servers/no-such-pair/probe", ADMIN).statusCode());
        assertEquals(400, post("/sip-proxy/api/servers/default/middle/out-of-service", ADMIN).statusCode());
        String probe = ok(post("/sip-proxy/api/servers/default/probe", ADMIN));
        assertTrue(probe, probe.contains("\"ok\":true"));
    }

    @Test
    public void aMemberTakenOutOfServiceGetsNoCallsUntilPutBack() throws Exception {
        try (Sipp primary = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp backup = Sipp.uas("uas.xml").localPort(backupPort()).start()) {
            String out = ok(post("/sip-proxy/api/servers/default/primary/out-of-service", ADMIN));
            assertTrue(out, out.contains("\"outOfService\":true"));
            assertTrue(memberAdminDown(MemberRole.PRIMARY));
            String servers = ok(get("/sip-proxy/api/servers", null));
            assertTrue(servers, servers.contains("\"active\":\"backup\""));
            assertTrue(servers, servers.contains("\"adminDown\":true"));

            try (Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(10).rate(10).start()) {
                assertAllCallsSucceeded(uac, 10, Duration.ofSeconds(30));
            }
            long atBackup = backup.awaitSuccessful(10, Duration.ofSeconds(10)).successful();
            long atPrimary = primary.stats().successful();
            System.out.printf("FIGURES primary out of service: 10 calls, %d at the backup, %d at the primary%n", atBackup, atPrimary);
            assertEquals("every call at the backup", 10, atBackup);
            assertEquals("no call at the primary", 0, Math.max(0, atPrimary));

            String in = ok(post("/sip-proxy/api/servers/default/primary/in-service", ADMIN));
            assertTrue(in, in.contains("\"outOfService\":false"));
            assertTrue("primary back in service", !memberAdminDown(MemberRole.PRIMARY));
            // the pair does not fail back by itself (the backup stays active while usable): taking the backup
            // out of service now moves the calls to the primary, which shows it takes calls again
            ok(post("/sip-proxy/api/servers/default/backup/out-of-service", ADMIN));
            await("primary active again", Duration.ofSeconds(5),
                    () -> pairs.pair("default").flatMap(PairState::active).orElse(null) == MemberRole.PRIMARY);
            try (Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(5).rate(10).start()) {
                assertAllCallsSucceeded(uac, 5, Duration.ofSeconds(30));
            }
            assertEquals("calls go to the primary again", 5, primary.awaitSuccessful(5, Duration.ofSeconds(10)).successful());
            assertEquals("none more at the backup", 10, backup.stats().successful());
            ok(post("/sip-proxy/api/servers/default/backup/in-service", ADMIN));
        }
    }

    @Test
    public void readOnlyViewsCanBeClosedLiveAndABadValueIsRefused() throws Exception {
        String pid = "dev.sipproxy.management";
        try {
            updateConfig(pid, "read-only-open", "false");
            // each component of the bundle gets the configuration on its own: wait for both servlets
            await("GET /status and /metrics needing a login", Duration.ofSeconds(10),
                    () -> status(() -> get("/sip-proxy/api/status", null)) == 401
                            && status(() -> get("/sip-proxy/metrics", null)) == 401);
            assertEquals(200, get("/sip-proxy/api/servers", "operator:op").statusCode());
            assertEquals(200, get("/sip-proxy/api/status", ADMIN).statusCode());
            assertEquals(403, post("/sip-proxy/api/servers/default/probe", "operator:op").statusCode());

            updateConfig(pid, "read-only-open", "maybe");
            awaitLogLine(pid + " update refused: read-only-open = 'maybe'", 1, Duration.ofSeconds(10));
            assertEquals("the last good settings stay", 401, get("/sip-proxy/api/status", null).statusCode());
        } finally {
            updateConfig(pid, "read-only-open", "true");
            await("GET /status and /metrics open again", Duration.ofSeconds(10),
                    () -> status(() -> get("/sip-proxy/api/status", null)) == 200
                            && status(() -> get("/sip-proxy/metrics", null)) == 200);
        }
    }

    private interface Call {
        HttpResponse<String> run() throws Exception;
    }

    private static int status(Call call) {
        try {
            return call.run().statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    public void prometheusTextHasTheMetrics() throws Exception {
        HttpResponse<String> r = get("/sip-proxy/metrics", null);
        String body = ok(r);
        assertTrue(r.headers().firstValue("Content-Type").orElse(""), r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        for (String name : List.of("sip_proxy_requests_received_total", "sip_proxy_responses_sent_total",
                "sip_proxy_calls_in_progress", "sip_proxy_dialogs_admitted_total", "sip_proxy_dialogs_rejected_total",
                "sip_proxy_pair_in_service", "sip_proxy_member_up", "sip_proxy_alarms_active")) {
            assertTrue(name + " in\n" + body, body.contains("# TYPE " + name + " "));
        }
        assertTrue(body, body.contains("sip_proxy_pair_in_service{pair=\"default\"} "));
        assertTrue(body, body.contains("sip_proxy_member_up{pair=\"default\",member=\"primary\"} "));
        assertTrue(body, body.contains("sip_proxy_member_up{pair=\"default\",member=\"backup\"} "));
        assertTrue(body, Pattern.compile("(?m)^sip_proxy_requests_received_total\\{method=\"INVITE\"\\} \\d+$").matcher(body).find());
        assertTrue(body, Pattern.compile("(?m)^sip_proxy_dialogs_admitted_total \\d+$").matcher(body).find());
    }

    @Test
    public void statusPageIsServedWithItsTable() throws Exception {
        String page = ok(get("/sip-proxy/", null));
        assertTrue(page, page.contains("<table id=\"servers\""));
        assertTrue(page, page.contains("member-state"));
        assertTrue(page, page.contains("data-member"));
        assertTrue(page, page.contains("setTimeout(refresh, 2000)"));
        HttpResponse<String> bare = get("/sip-proxy", null);
        assertEquals(302, bare.statusCode());
    }

    /**
     * The status page as an operator sees it: headless Chromium (Debian's {@code chromium}, installed
     * by .ci/run) loads it, its JavaScript fetches the JSON API, and the pair table it builds shows the
     * live member states: the backup, taken out of service through the API, shows so; the primary is up.
     */
    @Test
    public void statusPageInHeadlessChromiumShowsTheLiveMemberStates() throws Exception {
        java.nio.file.Path chromium = java.nio.file.Paths.get("/usr/bin/chromium");
        assertTrue("headless Chromium is needed (apt-get install chromium; .ci/run installs it)", java.nio.file.Files.isExecutable(chromium));
        assertEquals(200, post("/sip-proxy/api/servers/default/backup/out-of-service", ADMIN).statusCode());
        java.nio.file.Path profile = java.nio.file.Files.createTempDirectory("chromium-profile");
        try {
            Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--user-data-dir=" + profile, "--virtual-time-budget=5000",
                    "--dump-dom", "http://127.0.0.1:" + httpPort() + "/sip-proxy/")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] dom = p.getInputStream().readAllBytes();
            assertTrue("chromium ended", p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            String page = new String(dom, StandardCharsets.UTF_8);
            Matcher primary = Pattern.compile("<td class=\"member-state ([a-z-]+)\" data-pair=\"default\" data-member=\"primary\">([a-z-]+)</td>").matcher(page);
            Matcher backup = Pattern.compile("<td class=\"member-state ([a-z-]+)\" data-pair=\"default\" data-member=\"backup\">([a-z-]+)</td>").matcher(page);
            assertTrue("the page built a row for the primary:\n" + page, primary.find());
            assertTrue("the page built a row for the backup:\n" + page, backup.find());
            assertEquals("up", primary.group(2));
            assertEquals("out-of-service", backup.group(2));
        } finally {
            post("/sip-proxy/api/servers/default/backup/in-service", ADMIN);
            try (var files = java.nio.file.Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    public void consoleCommandsShowAndSteerThePair() throws Exception {
        String servers = console("sip:servers");
        assertTrue(servers, servers.contains("default"));
        assertTrue(servers, servers.contains("127.0.0.1:" + primaryPort()));
        assertTrue(servers, servers.contains("127.0.0.1:" + backupPort()));
        assertTrue(servers, servers.contains("Pair") && servers.contains("Member") && servers.contains("State"));
        String status = console("sip:status");
        assertTrue(status, status.contains("Instance") && status.contains(":" + proxyPort()));
        String stats = console("sip:stats");
        assertTrue(stats, stats.contains("dialogs admitted"));
        console("sip:alarms");
        console("sip:alarms --history");

        String out = console("sip:out-of-service default backup");
        assertTrue(out, out.contains("default/backup is out of service"));
        assertTrue(memberAdminDown(MemberRole.BACKUP));
        assertTrue(console("sip:servers default"), console("sip:servers default").contains("out-of-service"));
        String in = console("sip:in-service default backup");
        assertTrue(in, in.contains("default/backup is back in service"));
        assertTrue(!memberAdminDown(MemberRole.BACKUP));
        String probe = console("sip:probe default");
        assertTrue(probe, probe.contains("Probing"));
    }

    private boolean memberAdminDown(MemberRole role) {
        return pairs.pair("default").flatMap(p -> p.member(role)).map(m -> m.adminDown()).orElseThrow();
    }

    private String console(String command) throws Exception {
        return new KarafConsole(sessionFactory).run(command);
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET(), credentials);
    }

    private HttpResponse<String> post(String path, String credentials) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), credentials);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String credentials) throws Exception {
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort() + path);
    }

    private static String ok(HttpResponse<String> r) {
        assertEquals(r.request().method() + " " + r.uri() + ": " + r.body(), 200, r.statusCode());
        return r.body();
    }

    private static void assertFields(String json, String... names) {
        for (String n : names) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(n) + "\":").matcher(json);
            assertTrue("field " + n + " in " + json, m.find());
        }
    }
}
