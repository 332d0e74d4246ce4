package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.transport.SipTransport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * TCP keep-alive: the proxy pings the members of a TCP pair with double CRLF every
 * {@code keepalive-interval} (2 s here) and a member whose process is frozen (SIGSTOP) is found stale
 * within interval + {@code keepalive-timeout} (1 s): connection closed, member marked down, logged,
 * visible in the management JSON. The proxy answers a peer's own pings with a CRLF pong. This
 * distribution also names a key store that does not exist: the TLS listening point does not start
 * (40006 with the reason) while UDP and TCP work.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KeepAliveIT extends ProxyTestSupport {
    private static final int INTERVAL_SECONDS = 2;
    private static final int TIMEOUT_MILLIS = 1000;

    /** Injected so that the tests start once the SIP stack listens. */
    @Inject
    protected SipTransport transport;

    private Process peer;
    private Path peerOut;

    @Override
    protected Option[] extraOptions() {
        try {
            int tls = freePort();
            return new Option[] {
                editConfigurationFilePut("etc/dev.sipproxy.transport.cfg", "sip-transports", "udp,tcp,tls"),
                editConfigurationFilePut("etc/dev.sipproxy.transport.cfg", "sip-tls-port", Integer.toString(tls)),
                editConfigurationFilePut("etc/dev.sipproxy.transport.cfg", "tls-keystore", "/nonexistent/proxy.p12"),
                editConfigurationFilePut("etc/dev.sipproxy.transport.cfg", "keepalive-interval", Integer.toString(INTERVAL_SECONDS)),
                editConfigurationFilePut("etc/dev.sipproxy.transport.cfg", "keepalive-timeout", Integer.toString(TIMEOUT_MILLIS)),
                editConfigurationFilePut("etc/dev.sipproxy.sipserver-default.cfg", "transport", "tcp"),
                // a member found dead stays down long enough to be seen (no probes in this class)
                editConfigurationFilePut("etc/dev.sipproxy.health.cfg", "oos-force", "60"),
                editConfigurationFilePut("etc/system.properties", "itest.tls.port", Integer.toString(tls)),
            };
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @After
    public void stopPeer() throws Exception {
        if (peer != null) {
            signal("CONT");
            peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    public void missingKeyStoreStopsOnlyTheTlsListeningPoint() throws Exception {
        String expected = "cannot listen for SIP over TLS on 127.0.0.1:" + Integer.getInteger("itest.tls.port")
                + ": tls-keystore /nonexistent/proxy.p12: no such file";
        awaitLogLine(expected, 1, Duration.ofSeconds(10));
        assertTrue(logLinesContaining("[40006 SPR_SIP_LISTENER_CANNOT_START] " + expected) >= 1);
        try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), proxyPort())) {
            tcp.setSoTimeout(5000);
            assertEquals("\r\n", optionsThenPing(tcp));
        }
        System.out.printf("FIGURES missing key store: '[40006 SPR_SIP_LISTENER_CANNOT_START] %s'; TCP answers OPTIONS and pings%n", expected);
    }

    @Test
    public void peerPingsAreAnsweredWithPong() throws Exception {
        try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), proxyPort())) {
            tcp.setSoTimeout(5000);
            long t0 = System.nanoTime();
            assertEquals("\r\n", optionsThenPing(tcp));
            SipStream.write(tcp.getOutputStream(), "\r\n\r\n");
            assertEquals("a second ping on the same connection", "\r\n", SipStream.read(tcp.getInputStream(), true));
            System.out.printf("FIGURES CRLF pong: 2 pings answered on one TCP connection in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    @Test
    public void frozenTcpPeerIsFoundStaleAndMarkedDown() throws Exception {
        startPeer(primaryPort());
        await("the proxy pings the primary and gets pongs", Duration.ofSeconds(INTERVAL_SECONDS * 3L + 5),
                () -> peerEvents("PING") >= 2);
        assertTrue("primary up while it answers", primary().up());
        await("SO_KEEPALIVE on the proxy's connection to the peer (ss shows its keepalive timer)", Duration.ofSeconds(10),
                () -> ss(primaryPort()).contains("keepalive"));
        String socketInfo = ss(primaryPort());
        long pings = peerEvents("PING");

        signal("STOP");
        long frozenAt = System.nanoTime();
        await("the frozen primary marked down", Duration.ofSeconds(INTERVAL_SECONDS + 10L), () -> !primary().up());
        long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
        // one interval until the next ping, the pong deadline, and the keep-alive timer's 1 s tick
        long bound = INTERVAL_SECONDS * 1000L + TIMEOUT_MILLIS + 1000;
        assertTrue("found stale in " + detectedMillis + " ms, more than interval + timeout (+1 s tick) = " + bound,
                detectedMillis <= bound);
        awaitLogLine("Stale TCP connection to 127.0.0.1:" + primaryPort() + " closed", 1, Duration.ofSeconds(2));
        String json = http("/sip-proxy/api/servers/default");
        assertTrue(json, json.replace(" ", "").matches("(?s).*\"role\":\"primary\"[^}]*\"up\":false.*"));
        System.out.printf("FIGURES frozen TCP peer: %d pongs before SIGSTOP; marked down %d ms after SIGSTOP (bound %d ms); "
                        + "log: %s; SO_KEEPALIVE: %s%n",
                pings, detectedMillis, bound, lastLogLine("Stale TCP connection"),
                socketInfo.lines().filter(l -> l.contains("keepalive")).findFirst().orElse("").trim());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private MemberState primary() {
        return pairs.pair("default").flatMap(p -> p.member(MemberRole.PRIMARY)).orElseThrow();
    }

    private void startPeer(int port) throws Exception {
        Path source = Path.of(System.getProperty("sipp.scenarios")).getParent().resolve("peers/KeepAlivePeer.java");
        Path dir = Path.of(System.getProperty("itest.workdir"));
        Files.createDirectories(dir);
        peerOut = dir.resolve("keepalive-peer.out");
        peer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), source.toString(),
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(peerOut.toFile()).start();
        await("the peer listening", Duration.ofSeconds(30), () -> peerEvents("LISTENING") == 1);
    }

    private long peerEvents(String prefix) {
        try {
            return Files.readAllLines(peerOut, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith(prefix)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (peer != null && peer.isAlive()) {
            new ProcessBuilder("kill", "-" + name, Long.toString(peer.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String ss(int port) {
        try {
            Process p = new ProcessBuilder("ss", "-tnoH", "state", "established", "( dport = :" + port + " )")
                    .redirectErrorStream(true).start();
            p.waitFor(5, TimeUnit.SECONDS);
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private static String http(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static String optionsThenPing(Socket s) throws IOException {
        int lp = s.getLocalPort();
        String options = "OPTIONS sip:127.0.0.1:" + proxyPort() + " SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:" + lp
                + ";branch=z9hG4bK-kait-" + System.nanoTime() + ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:t@127.0.0.1>;tag=k\r\n"
                + "To: <sip:127.0.0.1>\r\nCall-ID: k" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        SipStream.write(s.getOutputStream(), options);
        String ok = SipStream.read(s.getInputStream(), false);
        assertTrue(ok, ok.startsWith("SIP/2.0 200"));
        SipStream.write(s.getOutputStream(), "\r\n\r\n");
        return SipStream.read(s.getInputStream(), true);
    }

    private static String lastLogLine(String text) throws IOException {
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return lines.stream().filter(l -> l.contains(text)).reduce((a, b) -> b).orElse("");
    }
}
