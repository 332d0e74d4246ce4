package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.sipproxy.api.transport.SipMessageHandler;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The RFC 4475 torture messages (itests/src/test/resources/rfc4475, copied from the shared
 * conformance corpus with its README), each sent to the running proxy over UDP and, for the
 * requests, over TCP, with the treatment the corpus README gives: valid messages forwarded to the
 * SIP Server side (never 400), invalid ones refused (400 when the Via can be read, else dropped) and
 * never forwarded, and the specific answers (416, 420 with Unsupported, 483, 400). Afterwards the
 * proxy still completes calls and has logged no stack trace.
 * <p>
 * Before sending, the top Via sent-by is rewritten to the test's own socket (and its transport to
 * the one used), its branch made unique per message (the stack matches server transactions by
 * branch alone, and the corpus reuses branches), Route hosts pointed at the loopback SIP Server,
 * and every other non-loopback IPv4 literal in the headers mapped to 127.0.0.2, where nothing
 * listens: nothing is ever sent off this machine.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class Rfc4475IT extends ProxyTestSupport {

    /** Injected so that the test starts once the proxy listens and routes. */
    @Inject
    protected SipMessageHandler proxyCore;

    /** What the proxy must do with a message. */
    enum Treatment { FORWARD, FORWARD_OR_416, INVALID, DROP, ANSWER }

    private record Expected(Treatment treatment, int code) {
    }

    private static final Map<String, Expected> EXPECTED = new LinkedHashMap<>();

    static {
        for (String f : "wsinv intmeth esc01 escnull esc02 lwsdisp longreq dblreq semiuri transports mpart01 badbranch unksm2 invut regaut01 cparam01 cparam02 regescrt sdp01 inv2543".split(" ")) {
            EXPECTED.put(f, new Expected(Treatment.FORWARD, 0));
        }
        for (String f : "badinv01 clerr ncl scalar02 scalarlg quotbal ltgtruri lwsruri lwsstart trws regbadct badaspec baddn badvers mismatch01 mismatch02".split(" ")) {
            EXPECTED.put(f, new Expected(Treatment.INVALID, 400));
        }
        for (String f : "unreason noreason bcast bigcode".split(" ")) {
            EXPECTED.put(f, new Expected(Treatment.DROP, 0)); // responses that match nothing of this proxy
        }
        EXPECTED.put("novelsc", new Expected(Treatment.FORWARD_OR_416, 416));
        EXPECTED.put("insuf", new Expected(Treatment.ANSWER, 400));
        EXPECTED.put("unkscm", new Expected(Treatment.ANSWER, 416));
        EXPECTED.put("bext01", new Expected(Treatment.ANSWER, 420));
        EXPECTED.put("multi01", new Expected(Treatment.ANSWER, 400));
        EXPECTED.put("mcl01", new Expected(Treatment.ANSWER, 400));
        EXPECTED.put("zeromf", new Expected(Treatment.ANSWER, 483));
    }

    private static final Pattern TOP_VIA = Pattern.compile(
            "(\\r\\n(?:via|v)[ \\t]*:.*?/[ \\t\\r\\n]*)(?:UDP|TCP|TLS)([ \\t\\r\\n]+)([^\\s;,]+)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern BRANCH = Pattern.compile("(branch[ \\t]*=[ \\t]*)([^\\s;,]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ROUTE_HOST = Pattern.compile("(\\r\\nroute[ \\t]*:[ \\t\\r\\n]*<sip:)([^;>]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FOREIGN_IPV4 = Pattern.compile("\\b(?!127\\.)\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\b");
    private static final Pattern CALL_ID = Pattern.compile("(\\r\\n(?:call-id|i)[ \\t]*:[ \\t]*)(\\S+)", Pattern.CASE_INSENSITIVE);

    private static Path corpus() {
        return Paths.get(System.getProperty("sipp.scenarios")).getParent().resolve("rfc4475");
    }

    /** One message prepared for sending. */
    private record Prepared(String name, boolean request, byte[] bytes, String callId) {
    }

    private Prepared prepare(String name, String transport, int localPort) throws IOException {
        String msg = new String(Files.readAllBytes(corpus().resolve(name + ".dat")), StandardCharsets.ISO_8859_1);
        boolean request = !msg.startsWith("SIP/2.0");
        int end = msg.indexOf("\r\n\r\n");
        String head = end < 0 ? msg : msg.substring(0, end);
        String body = end < 0 ? "" : msg.substring(end);
        if (request) {
            Matcher via = TOP_VIA.matcher(head);
            if (via.find()) {
                head = head.substring(0, via.start()) + via.group(1) + transport + via.group(2) + "127.0.0.1:" + localPort
                        + head.substring(via.end());
            }
            Matcher branch = BRANCH.matcher(head);
            if (branch.find()) {
                head = head.substring(0, branch.end()) + "-" + transport + name + head.substring(branch.end());
            }
            head = ROUTE_HOST.matcher(head).replaceAll("$1127.0.0.1:" + primaryPort());
        }
        head = FOREIGN_IPV4.matcher(head).replaceAll("127.0.0.2");
        Matcher cid = CALL_ID.matcher(head);
        String callId = null;
        if (cid.find()) {
            callId = cid.group(2) + "." + transport;
            head = head.substring(0, cid.start()) + cid.group(1) + callId + head.substring(cid.end());
        }
        return new Prepared(name, request, (head + body).getBytes(StandardCharsets.ISO_8859_1), callId);
    }

    @Test
    public void everyMessageOverUdpGetsItsTreatment() throws Exception {
        assertEquals("the whole corpus is covered", EXPECTED.keySet().stream().sorted().collect(Collectors.toList()), corpusNames());
        long stackTracesBefore = logLinesContaining("\tat ");
        Map<String, DatagramSocket> sockets = new LinkedHashMap<>();
        Map<String, Prepared> sent = new LinkedHashMap<>();
        Map<String, List<String>> answers = new LinkedHashMap<>();
        try (FakeSipServer server = new FakeSipServer(primaryPort())) {
            for (String name : EXPECTED.keySet()) {
                DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                s.setSoTimeout(20);
                sockets.put(name, s);
                Prepared p = prepare(name, "UDP", s.getLocalPort());
                sent.put(name, p);
                s.send(new DatagramPacket(p.bytes(), p.bytes().length, InetAddress.getLoopbackAddress(), proxyPort()));
            }
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(4).toNanos();
            // A UDP client retransmits a request that got nothing after 500 ms, and 1 s later (Timer
            // A / E); so does this one. The proxy drops what waited 500 ms unprocessed in its queue,
            // and a burst of 45 messages at a container that has not yet processed any can take that.
            long[] retransmitAt = {start + Duration.ofMillis(500).toNanos(), start + Duration.ofMillis(1500).toNanos()};
            int retransmissions = 0;
            byte[] buf = new byte[65536];
            while (System.nanoTime() < end) {
                if (retransmissions < retransmitAt.length && System.nanoTime() >= retransmitAt[retransmissions]) {
                    retransmissions++;
                    for (Prepared p : sent.values()) {
                        if (p.request() && !answers.containsKey(p.name()) && !forwarded(p, server)) {
                            sockets.get(p.name()).send(new DatagramPacket(p.bytes(), p.bytes().length,
                                    InetAddress.getLoopbackAddress(), proxyPort()));
                        }
                    }
                }
                for (Map.Entry<String, DatagramSocket> e : sockets.entrySet()) {
                    DatagramPacket packet = new DatagramPacket(buf, buf.length);
                    try {
                        e.getValue().receive(packet);
                        String status = new String(buf, 0, packet.getLength(), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
                        answers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(status);
                    } catch (SocketTimeoutException nothingYet) {
                        // next socket
                    }
                }
            }
            List<String> failures = new ArrayList<>();
            for (Prepared p : sent.values()) {
                check(p, answers.getOrDefault(p.name(), List.of()), server, false, failures);
            }
            List<String> dbl = server.received(sent.get("dblreq").callId());
            if (dbl.stream().anyMatch(l -> l.startsWith("INVITE"))) {
                failures.add("dblreq: the second message of the datagram was processed: " + dbl);
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " messages not treated as the corpus README says:\n" + String.join("\n", failures));
            }
        } finally {
            sockets.values().forEach(DatagramSocket::close);
        }
        proxyStillWorks(stackTracesBefore);
    }

    @Test
    public void everyRequestOverTcpGetsItsTreatment() throws Exception {
        long stackTracesBefore = logLinesContaining("\tat ");
        Map<String, Socket> sockets = new LinkedHashMap<>();
        Map<String, Prepared> sent = new LinkedHashMap<>();
        Map<String, ByteArrayOutputStream> received = new LinkedHashMap<>();
        try (FakeSipServer server = new FakeSipServer(primaryPort())) {
            for (String name : EXPECTED.keySet()) {
                Prepared probe = prepare(name, "TCP", 1);
                if (!probe.request() || !hasContentLength(probe)) {
                    // RFC 3261 section 18.3: over a stream, Content-Length is what frames a message
                    continue;
                }
                Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort());
                s.setSoTimeout(20);
                sockets.put(name, s);
                Prepared p = prepare(name, "TCP", s.getLocalPort());
                sent.put(name, p);
                s.getOutputStream().write(p.bytes());
                s.getOutputStream().flush();
                received.put(name, new ByteArrayOutputStream());
            }
            long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            byte[] buf = new byte[65536];
            while (System.nanoTime() < end) {
                for (Map.Entry<String, Socket> e : sockets.entrySet()) {
                    try {
                        InputStream in = e.getValue().getInputStream();
                        int n = in.read(buf);
                        if (n > 0) {
                            received.get(e.getKey()).write(buf, 0, n);
                        }
                    } catch (SocketTimeoutException nothingYet) {
                        // next socket
                    } catch (IOException closed) {
                        // the proxy closed a connection that carried garbage: allowed
                    }
                }
            }
            List<String> failures = new ArrayList<>();
            for (Prepared p : sent.values()) {
                List<String> statuses = new ArrayList<>();
                Matcher m = Pattern.compile("SIP/2\\.0 \\d{3}[^\\r\\n]*").matcher(received.get(p.name()).toString(StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    statuses.add(m.group());
                }
                check(p, statuses, server, true, failures);
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " requests over TCP not treated as the corpus README says:\n" + String.join("\n", failures));
            }
        } finally {
            for (Socket s : sockets.values()) {
                s.close();
            }
        }
        proxyStillWorks(stackTracesBefore);
    }

    /** Whether the pair member got a message of {@code p}'s call. */
    private static boolean forwarded(Prepared p, FakeSipServer server) {
        return p.callId() != null && !server.received(p.callId()).isEmpty();
    }

    private static void check(Prepared p, List<String> answers, FakeSipServer server, boolean tcp, List<String> failures) {
        Expected exp = EXPECTED.get(p.name());
        List<String> finals = answers.stream().filter(a -> !a.startsWith("SIP/2.0 1")).collect(Collectors.toList());
        boolean forwarded = forwarded(p, server);
        boolean got400 = finals.stream().anyMatch(a -> a.startsWith("SIP/2.0 400"));
        String what = p.name() + (tcp ? " (tcp)" : "") + ": answers " + answers + ", forwarded " + forwarded;
        boolean noContentLength = !hasContentLength(p);
        switch (exp.treatment()) {
            case FORWARD -> {
                // over TCP a message without Content-Length cannot be framed (RFC 3261 section 18.3)
                if (!(tcp && noContentLength) && (!forwarded || got400)) {
                    failures.add(what + "; expected: forwarded, never 400");
                }
            }
            case FORWARD_OR_416 -> {
                if (!forwarded && finals.stream().noneMatch(a -> a.startsWith("SIP/2.0 416"))) {
                    failures.add(what + "; expected: forwarded or 416");
                }
            }
            case INVALID -> {
                if (forwarded || finals.stream().anyMatch(a -> !a.startsWith("SIP/2.0 400") && !a.startsWith("SIP/2.0 505"))) {
                    failures.add(what + "; expected: not forwarded, 400 or nothing");
                }
            }
            case DROP -> {
                if (forwarded || !answers.isEmpty()) {
                    failures.add(what + "; expected: dropped");
                }
            }
            case ANSWER -> {
                if (forwarded || finals.stream().noneMatch(a -> a.startsWith("SIP/2.0 " + exp.code()))) {
                    failures.add(what + "; expected: " + exp.code());
                }
            }
        }
    }

    private static boolean hasContentLength(Prepared p) {
        return new String(p.bytes(), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT)
                .matches("(?s).*\\r\\n(content-length|l)[ \\t]*:.*");
    }

    private List<String> corpusNames() throws IOException {
        try (var files = Files.list(corpus())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".dat"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().collect(Collectors.toList());
        }
    }

    private void proxyStillWorks(long stackTracesBefore) throws Exception {
        // no call limit on the UAS: a torture INVITE may still be retransmitted to it by the proxy
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(5).rate(10).start()) {
            assertAllCallsSucceeded(uac, 5, Duration.ofSeconds(30));
        }
        assertTrue("no stack trace logged", logLinesContaining("\tat ") == stackTracesBefore);
    }
}
