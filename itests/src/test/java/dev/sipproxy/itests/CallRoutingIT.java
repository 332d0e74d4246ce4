package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.ProxyStatistics;
import dev.sipproxy.api.SipTransportType;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Real calls through the proxy of the real distribution: sipp UAC to the proxy, proxy to a sipp UAS
 * as the primary of SIP Server pair 'default', over UDP and TCP.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CallRoutingIT extends ProxyTestSupport {
    private static final Duration CALLS_DEADLINE = Duration.ofSeconds(60);

    @javax.inject.Inject
    protected ProxyStatistics statistics;

    @Test
    public void udpCallsCompleteThroughTheProxyAndReachThePrimary() throws Exception {
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).calls(200).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(200).rate(100).arg("-l", "100").start()) {
            // uac.xml fails a call whose 200 OK lacks the proxy's Record-Route;
            // uas.xml fails one whose INVITE or BYE did not come through the proxy.
            assertAllCallsSucceeded(uac, 200, CALLS_DEADLINE);
            assertEquals("calls completed at the primary", 200, uas.awaitSuccessful(200, Duration.ofSeconds(10)).successful());
        }
        // nothing of a finished call stays in the proxy core
        await("no INVITE left open", Duration.ofSeconds(10), () -> statistics.callsInProgress() == 0);
    }

    /** The tests run on the datagram socket the distribution's bin/setenv chooses (on JDK 15-17, the legacy one). */
    @Test
    public void udpListensOnTheDistributionsDatagramSocket() throws Exception {
        String expected = Runtime.version().feature() <= 17 ? "(legacy datagram socket" : "(channel-based datagram socket";
        List<String> lines = logLinesWith("Listening for SIP over UDP on");
        assertFalse("a UDP listening point started", lines.isEmpty());
        assertTrue(lines.get(lines.size() - 1), lines.get(lines.size() - 1).contains(expected));
    }

    @Test
    public void tcpCallsCompleteEndToEnd() throws Exception {
        updateDefaultPair("transport", "tcp");
        await("pair 'default' over TCP", Duration.ofSeconds(10),
                () -> pairs.pair("default").get().pair().transport() == SipTransportType.TCP);
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).tcp().calls(200).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).tcp().calls(200).rate(100).arg("-l", "100").start()) {
            assertAllCallsSucceeded(uac, 200, CALLS_DEADLINE);
            assertEquals("calls completed at the primary", 200, uas.awaitSuccessful(200, Duration.ofSeconds(10)).successful());
        } finally {
            updateDefaultPair("transport", "udp");
            await("pair 'default' back on UDP", Duration.ofSeconds(10),
                    () -> pairs.pair("default").get().pair().transport() == SipTransportType.UDP);
        }
    }

    @Test
    public void udpCallerReachesTcpServer() throws Exception {
        updateDefaultPair("transport", "tcp");
        await("pair 'default' over TCP", Duration.ofSeconds(10),
                () -> pairs.pair("default").get().pair().transport() == SipTransportType.TCP);
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).tcp().calls(20).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(20).rate(20).start()) {
            assertAllCallsSucceeded(uac, 20, CALLS_DEADLINE);
            assertEquals(20, uas.awaitSuccessful(20, Duration.ofSeconds(10)).successful());
        } finally {
            updateDefaultPair("transport", "udp");
            await("pair 'default' back on UDP", Duration.ofSeconds(10),
                    () -> pairs.pair("default").get().pair().transport() == SipTransportType.UDP);
        }
    }

    @Test
    public void cancelOfARingingCallEndsWith487AtTheCaller() throws Exception {
        try (Sipp uas = Sipp.uas("uas_cancel.xml").localPort(primaryPort()).calls(10).start();
             Sipp uac = Sipp.uac("uac_cancel.xml").remote(proxyPort()).calls(10).rate(10).start()) {
            // uac_cancel.xml expects 180, then 200 for its CANCEL and 487 for its INVITE.
            assertAllCallsSucceeded(uac, 10, CALLS_DEADLINE);
            assertEquals("CANCELs that reached the callee", 10, uas.awaitSuccessful(10, Duration.ofSeconds(10)).successful());
        }
    }

    @Test
    public void maxForwardsZeroIsAnswered483() throws Exception {
        try (Sipp uac = Sipp.uac("uac_maxfwd0.xml").remote(proxyPort()).calls(5).rate(10).start()) {
            assertAllCallsSucceeded(uac, 5, CALLS_DEADLINE);
        }
    }

    @Test
    public void requestFromTheSipServerSideReachesTheEndpointInItsRequestUri() throws Exception {
        // The caller sits on the primary's address, so the proxy takes it for the SIP Server and
        // routes by Request-URI to the endpoint, instead of back to the pair.
        try (Sipp endpoint = Sipp.uas("uas.xml").localPort(endpointPort()).calls(10).start();
             Sipp server = Sipp.uac("uac.xml").remote(proxyPort()).localPort(primaryPort())
                     .target("127.0.0.1:" + endpointPort()).calls(10).rate(10).start()) {
            assertAllCallsSucceeded(server, 10, CALLS_DEADLINE);
            assertEquals("calls completed at the endpoint", 10, endpoint.awaitSuccessful(10, Duration.ofSeconds(10)).successful());
        }
    }

    @Test
    public void malformedRequestIsAnswered400AndTheNextCallCompletes() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            String bad = "INVITE sip:x@127.0.0.1:" + proxyPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-malformed1\r\n"
                    + "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: malformed1\r\n"
                    + "CSeq: notanumber INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            byte[] data = bad.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), proxyPort()));
            byte[] buf = new byte[4096];
            DatagramPacket answer = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(answer);
                String status = new String(buf, 0, answer.getLength(), StandardCharsets.US_ASCII).split("\r\n")[0];
                assertTrue("answer to a malformed request: " + status, status.startsWith("SIP/2.0 400"));
            } catch (SocketTimeoutException dropped) {
                // dropping is allowed too; what matters is that the proxy still works
            }
        }
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).calls(5).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(5).rate(10).start()) {
            assertAllCallsSucceeded(uac, 5, CALLS_DEADLINE);
        }
    }
}
