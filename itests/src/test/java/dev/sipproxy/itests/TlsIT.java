package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import dev.sipproxy.api.HealthControl;
import dev.sipproxy.api.MemberRef;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.After;
import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * TLS on both sides: a TLS client (the test, with a client certificate) calls through the proxy's
 * TLS listening point to a TLS SIP Server pair (stand-ins that require the proxy's client
 * certificate), OPTIONS probes go over TLS, old protocols and certificate-less clients are refused,
 * unusable key material is reported while UDP and TCP keep working, and a certificate replaced on
 * disk is served after the configuration is touched. Key material is made by keytool for this run.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class TlsIT extends ProxyTestSupport {
    private static final String TRANSPORT_PID = "dev.sipproxy.transport";

    private TlsSipServer primary;
    private TlsSipServer backup;

    @Inject
    private HealthControl health;

    @Override
    protected int oosCheckSeconds() {
        return 1;
    }

    @Override
    protected Option[] extraOptions() {
        try {
            Path dir = Path.of(System.getProperty("exam.workdir", "target/exam")).toAbsolutePath().getParent().resolve("tls-TlsIT");
            Path proxy = TestCertificates.keyStore(dir, "proxy");
            Path server = TestCertificates.keyStore(dir, "server");
            Path client = TestCertificates.keyStore(dir, "client");
            Path trust = dir.resolve("trust.p12");
            Files.deleteIfExists(trust);
            TestCertificates.trustStore(trust, proxy, server, client);
            int tls = freePort();
            String cfg = "etc/" + TRANSPORT_PID + ".cfg";
            return new Option[] {
                editConfigurationFilePut(cfg, "sip-transports", "udp,tcp,tls"),
                editConfigurationFilePut(cfg, "sip-tls-port", Integer.toString(tls)),
                editConfigurationFilePut(cfg, "tls-keystore", proxy.toString()),
                editConfigurationFilePut(cfg, "tls-keystore-password", TestCertificates.PASSWORD),
                editConfigurationFilePut(cfg, "tls-truststore", trust.toString()),
                editConfigurationFilePut(cfg, "tls-truststore-password", TestCertificates.PASSWORD),
                editConfigurationFilePut(cfg, "tls-client-auth", "need"),
                // every peer here is at 127.0.0.1, the SIP Servers' address: the SIP Server policy applies to all
                editConfigurationFilePut(cfg, "tls-client-auth-sipservers", "need"),
                editConfigurationFilePut("etc/dev.sipproxy.sipserver-default.cfg", "transport", "tls"),
                editConfigurationFilePut("etc/system.properties", "itest.tls.port", Integer.toString(tls)),
                editConfigurationFilePut("etc/system.properties", "itest.tls.dir", dir.toString()),
            };
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot make the test certificates", e);
        }
    }

    private static int tlsPort() {
        return Integer.getInteger("itest.tls.port");
    }

    private static Path tlsDir() {
        return Path.of(System.getProperty("itest.tls.dir"));
    }

    private static SSLContext context(String keyStore) throws Exception {
        return TestCertificates.context(keyStore == null ? null : tlsDir().resolve(keyStore + ".p12"), tlsDir().resolve("trust.p12"));
    }

    @Before
    public void sipServers() throws Exception {
        SSLContext server = context("server");
        primary = new TlsSipServer(primaryPort(), server);
        backup = new TlsSipServer(backupPort(), server);
        await("both members of pair 'default' answer over TLS", Duration.ofSeconds(20), () -> pairs.pair("default")
                .map(p -> p.members().stream().allMatch(MemberState::usable)).orElse(false));
        // The servers start after the proxy: the pair was out of service, and whichever member answered
        // its probe first took the calls (sticky). The tests want the primary.
        if (pairs.pair("default").flatMap(PairState::active).orElse(null) == MemberRole.BACKUP) {
            MemberRef backupMember = new MemberRef("default", MemberRole.BACKUP);
            health.setOutOfService(backupMember, true);
            health.setOutOfService(backupMember, false);
        }
        await("pair 'default' in service on its primary over TLS", Duration.ofSeconds(20), () -> pairs.pair("default")
                .flatMap(PairState::activeMember).map(m -> m.role() == MemberRole.PRIMARY).orElse(false));
    }

    @After
    public void stopServers() throws IOException {
        primary.close();
        backup.close();
    }

    @Test
    public void a_tlsCallEndToEnd() throws Exception {
        String callId = "tlsit-" + System.nanoTime();
        long started = System.nanoTime();
        try (SSLSocket c = connect(context("client"), tlsPort())) {
            int lp = c.getLocalPort();
            String from = "From: <sip:caller@127.0.0.1>;tag=c1\r\n";
            String invite = "INVITE sip:callee@127.0.0.1:" + tlsPort() + ";transport=tls SIP/2.0\r\n"
                    + "Via: SIP/2.0/TLS 127.0.0.1:" + lp + ";branch=z9hG4bK-tlsit-i" + lp + ";rport\r\n"
                    + "Max-Forwards: 70\r\n" + from + "To: <sip:callee@127.0.0.1>\r\nCall-ID: " + callId + "\r\n"
                    + "CSeq: 1 INVITE\r\nContact: <sip:caller@127.0.0.1:" + lp + ";transport=tls>\r\nContent-Length: 0\r\n\r\n";
            SipStream.write(c.getOutputStream(), invite);
            String ok = finalResponse(c);
            long inviteMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(ok, ok.startsWith("SIP/2.0 200"));
            List<String> recordRoute = SipStream.headers(ok, "Record-Route", null);
            assertEquals("one Record-Route (TLS on both sides): " + recordRoute, 1, recordRoute.size());
            assertTrue(recordRoute.get(0), recordRoute.get(0).contains(":" + tlsPort() + ";transport=tls"));
            String to = SipStream.header(ok, "To", "t");
            String contact = SipStream.header(ok, "Contact", "m");
            String target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
            List<String> routes = new ArrayList<>(recordRoute);
            Collections.reverse(routes);
            String route = "Route: " + String.join(", ", routes) + "\r\n";
            String ack = "ACK " + target + " SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:" + lp + ";branch=z9hG4bK-tlsit-a" + lp
                    + ";rport\r\n" + route + "Max-Forwards: 70\r\n" + from + "To: " + to + "\r\nCall-ID: " + callId
                    + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
            SipStream.write(c.getOutputStream(), ack);
            String bye = "BYE " + target + " SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:" + lp + ";branch=z9hG4bK-tlsit-b" + lp
                    + ";rport\r\n" + route + "Max-Forwards: 70\r\n" + from + "To: " + to + "\r\nCall-ID: " + callId
                    + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
            SipStream.write(c.getOutputStream(), bye);
            String byeOk = finalResponse(c);
            assertTrue(byeOk, byeOk.startsWith("SIP/2.0 200") && byeOk.contains("2 BYE"));

            await("INVITE, ACK and BYE at the SIP Server", Duration.ofSeconds(5), () -> primary.received().stream()
                    .filter(r -> callId.equals(SipStream.header(r.message(), "Call-ID", "i"))).count() >= 3);
            List<TlsSipServer.Received> call = primary.received().stream()
                    .filter(r -> callId.equals(SipStream.header(r.message(), "Call-ID", "i"))).toList();
            List<String> methods = call.stream().map(TlsSipServer.Received::method).toList();
            assertEquals(List.of("INVITE", "ACK", "BYE"), methods);
            TlsSipServer.Received inv = call.get(0);
            String via = SipStream.header(inv.message(), "Via", "v");
            assertTrue("the proxy's Via towards the SIP Server: " + via, via.startsWith("SIP/2.0/TLS 127.0.0.1:" + tlsPort()));
            String rr = SipStream.header(inv.message(), "Record-Route", null);
            assertTrue("Record-Route towards the SIP Server: " + rr, rr.contains(":" + tlsPort() + ";transport=tls"));
            assertEquals("CN=proxy", inv.peerSubject());
            assertTrue("INVITE, ACK and BYE on one connection: " + call.stream().map(TlsSipServer.Received::connection).toList(),
                    call.stream().allMatch(r -> r.connection() == inv.connection()));
            System.out.printf("FIGURES TLS call: INVITE->200 %d ms; client side %s, Record-Route %s; server side %s, "
                            + "Via %s, Record-Route %s, proxy's client certificate %s; INVITE/ACK/BYE on connections %s%n",
                    inviteMillis, c.getSession().getProtocol(), recordRoute, inv.protocol(), via, rr, inv.peerSubject(),
                    call.stream().map(TlsSipServer.Received::connection).toList());
        }
    }

    @Test
    public void a_udpCallerToTlsServerGetsARecordRoutePerSide() throws Exception {
        String callId = "tlsit-udp-" + System.nanoTime();
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(5000);
            int lp = udp.getLocalPort();
            String from = "From: <sip:caller@127.0.0.1>;tag=u1\r\n";
            String invite = "INVITE sip:callee@127.0.0.1:" + proxyPort() + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + lp
                    + ";branch=z9hG4bK-tlsit-ui" + lp + ";rport\r\nMax-Forwards: 70\r\n" + from + "To: <sip:callee@127.0.0.1>\r\n"
                    + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContact: <sip:caller@127.0.0.1:" + lp + ">\r\nContent-Length: 0\r\n\r\n";
            sendUdp(udp, invite);
            String ok = udpFinalResponse(udp);
            assertTrue(ok, ok.startsWith("SIP/2.0 200"));
            List<String> rr = new ArrayList<>();
            SipStream.headers(ok, "Record-Route", null).forEach(h -> rr.addAll(List.of(h.split(",\\s*(?=<)"))));
            assertEquals("two Record-Route entries (RFC 5658): " + rr, 2, rr.size());
            assertTrue("SIP Server side first: " + rr, rr.get(0).contains(":" + tlsPort() + ";transport=tls"));
            assertTrue("caller side second: " + rr, rr.get(1).contains(":" + proxyPort() + ";lr") && !rr.get(1).contains("transport="));
            String to = SipStream.header(ok, "To", "t");
            String contact = SipStream.header(ok, "Contact", "m");
            String target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
            List<String> routes = new ArrayList<>(rr);
            Collections.reverse(routes);
            String route = "Route: " + String.join(", ", routes) + "\r\n";
            sendUdp(udp, "ACK " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + lp + ";branch=z9hG4bK-tlsit-ua" + lp
                    + ";rport\r\n" + route + "Max-Forwards: 70\r\n" + from + "To: " + to + "\r\nCall-ID: " + callId
                    + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
            // UDP keeps no order: the BYE goes once the ACK is through
            await("the ACK at the TLS SIP Server", Duration.ofSeconds(5), () -> primary.received("ACK").stream()
                    .anyMatch(r -> callId.equals(SipStream.header(r.message(), "Call-ID", "i"))));
            sendUdp(udp, "BYE " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + lp + ";branch=z9hG4bK-tlsit-ub" + lp
                    + ";rport\r\n" + route + "Max-Forwards: 70\r\n" + from + "To: " + to + "\r\nCall-ID: " + callId
                    + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
            String byeOk = udpFinalResponse(udp);
            assertTrue(byeOk, byeOk.startsWith("SIP/2.0 200") && byeOk.contains("2 BYE"));
            await("INVITE, ACK and BYE at the TLS SIP Server", Duration.ofSeconds(5), () -> primary.received().stream()
                    .filter(r -> callId.equals(SipStream.header(r.message(), "Call-ID", "i"))).count() >= 3);
            List<TlsSipServer.Received> call = primary.received().stream()
                    .filter(r -> callId.equals(SipStream.header(r.message(), "Call-ID", "i"))).toList();
            assertEquals(List.of("INVITE", "ACK", "BYE"), call.stream().map(TlsSipServer.Received::method).toList());
            String via = SipStream.header(call.get(0).message(), "Via", "v");
            assertTrue(via, via.startsWith("SIP/2.0/TLS 127.0.0.1:" + tlsPort()) && via.contains("SIP/2.0/UDP 127.0.0.1:" + lp));
            System.out.printf("FIGURES UDP caller -> TLS SIP Server: Record-Route %s; Via at the server %s; INVITE/ACK/BYE on TLS connections %s%n",
                    rr, via, call.stream().map(TlsSipServer.Received::connection).toList());
        }
    }

    private static void sendUdp(DatagramSocket udp, String message) throws IOException {
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        udp.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), proxyPort()));
    }

    private static String udpFinalResponse(DatagramSocket udp) throws IOException {
        while (true) {
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            udp.receive(p);
            String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (m.startsWith("SIP/2.0 ") && m.charAt(8) != '1') {
                return m;
            }
        }
    }

    @Test
    public void b_optionsProbesOverTls() throws Exception {
        await("two OPTIONS probes at each member", Duration.ofSeconds(10),
                () -> primary.received("OPTIONS").size() >= 2 && backup.received("OPTIONS").size() >= 2);
        TlsSipServer.Received probe = primary.received("OPTIONS").get(0);
        String via = SipStream.header(probe.message(), "Via", "v");
        assertTrue(via, via.startsWith("SIP/2.0/TLS "));
        assertTrue(SipStream.startLine(probe.message()), SipStream.startLine(probe.message()).contains("transport=tls"));
        assertEquals("CN=proxy", probe.peerSubject());
        System.out.printf("FIGURES TLS probes: primary %d, backup %d OPTIONS over %s, Via %s, on connections %s%n",
                primary.received("OPTIONS").size(), backup.received("OPTIONS").size(), probe.protocol(), via,
                primary.received("OPTIONS").stream().map(TlsSipServer.Received::connection).distinct().toList());
    }

    @Test
    public void c_tls10And11ClientsAreRefused() throws Exception {
        for (String version : List.of("-tls1", "-tls1_1")) {
            String out = openssl(version);
            assertTrue(version + " was not refused by the proxy:\n" + out, out.contains("alert protocol version"));
            System.out.printf("FIGURES openssl s_client %s: %s%n", version,
                    out.lines().filter(l -> l.contains("alert")).findFirst().orElse(""));
        }
        try (SSLSocket s = connect(context("client"), tlsPort(), "TLSv1.2")) {
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            assertEquals("\r\n", optionsThenPing(s));
        }
    }

    @Test
    public void d_clientWithoutCertificateIsRefused() throws Exception {
        try (SSLSocket s = connect(context(null), tlsPort())) {
            String answer = optionsThenPing(s);
            fail("a client without certificate was answered: " + answer);
        } catch (IOException expected) {
            System.out.printf("FIGURES client without certificate refused: %s%n", expected);
        }
        try (SSLSocket s = connect(context("client"), tlsPort())) {
            assertEquals("\r\n", optionsThenPing(s));
        }
    }

    @Test
    public void e_unusableKeyStoreIsReportedWhileUdpAndTcpWork() throws Exception {
        long before = logLinesContaining("40006 SPR_SIP_LISTENER_CANNOT_START");
        int otherPort = freePort();
        // a restart (new port) with a wrong password: 40006 naming the TLS listening point and the reason; the
        // last good key material stays in force, as any last good configuration does
        updateTransport("sip-tls-port", Integer.toString(otherPort), "tls-keystore-password", "wrong-password");
        try {
            String expected = "TLS listening point 127.0.0.1:" + otherPort + " keeps the last good certificate";
            awaitLogLine(expected, 1, Duration.ofSeconds(20));
            assertTrue(logLinesContaining("40006 SPR_SIP_LISTENER_CANNOT_START") > before);
            String line = lastLogLine(expected);
            assertTrue(line, line.contains("wrong password (tls-keystore-password)"));
            assertEquals("no password in the log", 0, logLinesContaining("wrong-password"));
            await("UDP answers OPTIONS", Duration.ofSeconds(10), () -> udpOptionsAnswered());
            await("TCP answers OPTIONS and pings", Duration.ofSeconds(10), () -> {
                try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), proxyPort())) {
                    tcp.setSoTimeout(5000);
                    return "\r\n".equals(optionsThenPing(tcp));
                } catch (IOException e) {
                    return false;
                }
            });
            // touched again with the key store still unreadable: same event, the running point keeps its certificate
            org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(TRANSPORT_PID, null);
            c.update(c.getProperties());
            awaitLogLine(expected, 2, Duration.ofSeconds(10));
            System.out.printf("FIGURES unusable key store: %s; UDP and TCP answer%n", line.substring(line.indexOf("[40006")));
        } finally {
            updateTransport("sip-tls-port", Integer.toString(tlsPort()), "tls-keystore-password", TestCertificates.PASSWORD);
        }
        await("TLS listening again", Duration.ofSeconds(20), () -> {
            try (SSLSocket s = connect(context("client"), tlsPort())) {
                return "\r\n".equals(optionsThenPing(s));
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    public void z_certificateReplacedOnDiskIsUsedAfterTouch() throws Exception {
        Path keyStore = tlsDir().resolve("proxy.p12");
        Path renewed = TestCertificates.keyStore(tlsDir().resolve("renewed"), "proxy");
        String before = presentedSubjectAndSerial();
        long starts = logLinesContaining("Listening for SIP over TLS on");
        // same name, new key and serial: replace the file atomically, then touch the configuration
        Files.move(renewed, keyStore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(TRANSPORT_PID, null);
        c.update(c.getProperties());
        long t0 = System.nanoTime();
        await("the new certificate on new connections", Duration.ofSeconds(10), () -> {
            try {
                return !presentedSubjectAndSerial().equals(before);
            } catch (Exception e) {
                return false;
            }
        });
        String after = presentedSubjectAndSerial();
        awaitLogLine("TLS key material reloaded", 1, Duration.ofSeconds(5));
        assertEquals("no restart of the TLS listening point", starts, logLinesContaining("Listening for SIP over TLS on"));
        System.out.printf("FIGURES certificate reload: %s -> %s within %d ms of the touch, TLS listening point not restarted%n",
                before, after, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @Test
    public void g_sipsAndTransportTlsTowardsEndpoints() throws Exception {
        try (TlsSipServer endpoint = new TlsSipServer(endpointPort(), context("client"));
             SSLSocket fromServer = connect(context("server"), tlsPort())) {
            for (String uri : List.of("sips:ep@127.0.0.1:" + endpointPort(), "sip:ep@127.0.0.1:" + endpointPort() + ";transport=tls")) {
                String callId = "tlsit-ep-" + System.nanoTime();
                // from the primary SIP Server (its Via names the member's address) to an endpoint
                String message = "MESSAGE " + uri + " SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:" + primaryPort()
                        + ";branch=z9hG4bK-tlsit-m" + System.nanoTime() + "\r\nMax-Forwards: 70\r\n"
                        + "From: <sip:server@127.0.0.1>;tag=s1\r\nTo: <" + uri + ">\r\nCall-ID: " + callId
                        + "\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
                SipStream.write(fromServer.getOutputStream(), message);
                String answer = finalResponse(fromServer);
                assertTrue(uri + ": " + answer, answer.startsWith("SIP/2.0 200"));
                TlsSipServer.Received got = endpoint.received("MESSAGE").stream()
                        .filter(r -> callId.equals(SipStream.header(r.message(), "Call-ID", "i"))).findFirst().orElseThrow();
                String via = SipStream.header(got.message(), "Via", "v");
                assertTrue(uri + ": " + via, via.startsWith("SIP/2.0/TLS 127.0.0.1:" + tlsPort()));
                System.out.printf("FIGURES to an endpoint at %s: over %s, Via %s%n", uri, got.protocol(), via);
            }
        }
    }

    @Test
    public void h_passwordsMaskedInManagement() throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort() + "/sip-proxy/api/config"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        String json = r.body().replace(" ", "");
        assertTrue(json, json.contains("\"tls-keystore-password\":\"********\""));
        assertTrue(json, json.contains("\"tls-truststore-password\":\"********\""));
        assertTrue("no password in the view", !json.contains(TestCertificates.PASSWORD));
        System.out.println("FIGURES management /config: tls-keystore-password and tls-truststore-password masked");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static SSLSocket connect(SSLContext ctx, int port, String... protocols) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5000);
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        s.startHandshake();
        return s;
    }

    private static String finalResponse(Socket s) throws IOException {
        while (true) {
            String m = SipStream.read(s.getInputStream(), false);
            if (m.startsWith("SIP/2.0 ") && m.charAt(8) != '1') {
                return m;
            }
        }
    }

    /** OPTIONS to the proxy itself (it answers 200), then a double-CRLF ping; returns what follows the 200. */
    private static String optionsThenPing(Socket s) throws IOException {
        int lp = s.getLocalPort();
        String t = s instanceof SSLSocket ? "TLS" : "TCP";
        int port = s.getPort();
        String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\nVia: SIP/2.0/" + t + " 127.0.0.1:" + lp
                + ";branch=z9hG4bK-tlsit-o" + lp + System.nanoTime() + ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:t@127.0.0.1>;tag=o\r\n"
                + "To: <sip:127.0.0.1:" + port + ">\r\nCall-ID: o" + lp + "-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        SipStream.write(s.getOutputStream(), options);
        String ok = finalResponse(s);
        if (!ok.startsWith("SIP/2.0 200")) {
            throw new IOException("OPTIONS answered " + SipStream.startLine(ok));
        }
        SipStream.write(s.getOutputStream(), "\r\n\r\n");
        return SipStream.read(s.getInputStream(), true);
    }

    private static boolean udpOptionsAnswered() {
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(1000);
            int lp = udp.getLocalPort();
            String options = "OPTIONS sip:127.0.0.1:" + proxyPort() + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + lp
                    + ";branch=z9hG4bK-tlsit-u" + System.nanoTime() + "\r\nMax-Forwards: 70\r\nFrom: <sip:t@127.0.0.1>;tag=u\r\n"
                    + "To: <sip:127.0.0.1>\r\nCall-ID: u" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            byte[] b = options.getBytes(StandardCharsets.ISO_8859_1);
            udp.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), proxyPort()));
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            udp.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1).startsWith("SIP/2.0 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** The subject and serial of the certificate the proxy presents to a new connection (the client trusts anything here). */
    private static String presentedSubjectAndSerial() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        TrustManager anything = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(tlsDir().resolve("client.p12"))) {
            ks.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        kmf.init(ks, TestCertificates.PASSWORD.toCharArray());
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {anything}, null);
        try (SSLSocket s = connect(ctx, tlsPort())) {
            X509Certificate cert = (X509Certificate) s.getSession().getPeerCertificates()[0];
            return cert.getSubjectX500Principal().getName() + " serial " + cert.getSerialNumber().toString(16);
        }
    }

    private static String openssl(String version) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort(), version,
                "-cipher", "DEFAULT:@SECLEVEL=0").redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private void updateTransport(String... keyValues) throws IOException {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(TRANSPORT_PID, null);
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        c.update(props);
    }

    private static String lastLogLine(String text) throws IOException {
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(text))
                .reduce((a, b) -> b).orElse("");
    }
}
