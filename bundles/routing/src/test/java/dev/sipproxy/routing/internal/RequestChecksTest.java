package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Set;

import javax.sip.message.Request;

import org.junit.Test;

public class RequestChecksTest {

    private interface Check {
        void run() throws Rejection;
    }

    private static Rejection rejected(Check check) {
        try {
            check.run();
            fail("the request was accepted");
            return null;
        } catch (Rejection r) {
            return r;
        }
    }

    // ---- Request-URI scheme (RFC 3261 16.3 step 2) ----

    @Test
    public void unknownRequestUriSchemeIsRejectedWith416() {
        Request r = Sip.invite("http://example.com/bob");
        Rejection rej = rejected(() -> RequestChecks.checkScheme(r));
        assertEquals(416, rej.statusCode());
        assertTrue(rej.getMessage(), rej.getMessage().contains("'http'"));
        assertEquals(-1, rej.retryAfter());
    }

    @Test
    public void mailtoRequestUriIsRejectedWith416() {
        Request r = Sip.invite("mailto:bob@example.com");
        assertEquals(416, rejected(() -> RequestChecks.checkScheme(r)).statusCode());
    }

    @Test
    public void sipSipsAndTelAreAccepted() throws Rejection {
        RequestChecks.checkScheme(Sip.invite("sip:bob@example.com"));
        RequestChecks.checkScheme(Sip.invite("sips:bob@example.com"));
        RequestChecks.checkScheme(Sip.invite("tel:+15551234567"));
    }

    // ---- Max-Forwards (step 3) ----

    @Test
    public void maxForwardsZeroIsRejectedWith483() {
        Request r = Sip.raw("OPTIONS sip:bob@example.com SIP/2.0",
                "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-1",
                "Max-Forwards: 0",
                "From: <sip:alice@example.com>;tag=1",
                "To: <sip:bob@example.com>",
                "Call-ID: mf0",
                "CSeq: 1 OPTIONS",
                "Content-Length: 0");
        Request req = r;
        assertEquals(483, rejected(() -> RequestChecks.checkMaxForwards(req)).statusCode());
    }

    @Test
    public void maxForwardsOneOrAbsentIsAccepted() throws Rejection {
        RequestChecks.checkMaxForwards(Sip.raw("OPTIONS sip:bob@example.com SIP/2.0",
                "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-1",
                "Max-Forwards: 1",
                "From: <sip:alice@example.com>;tag=1",
                "To: <sip:bob@example.com>",
                "Call-ID: mf1",
                "CSeq: 1 OPTIONS",
                "Content-Length: 0"));
        RequestChecks.checkMaxForwards(Sip.raw("OPTIONS sip:bob@example.com SIP/2.0",
                "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-1",
                "From: <sip:alice@example.com>;tag=1",
                "To: <sip:bob@example.com>",
                "Call-ID: mf-none",
                "CSeq: 1 OPTIONS",
                "Content-Length: 0"));
    }

    // ---- Proxy-Require (step 6) ----

    @Test
    public void unsupportedProxyRequireIsRejectedWith420ListingTheTags() {
        Request r = Sip.invite("sip:bob@example.com", "Proxy-Require: foo, bar");
        Rejection rej = rejected(() -> RequestChecks.checkProxyRequire(r, Set.of()));
        assertEquals(420, rej.statusCode());
        assertEquals(List.of("foo", "bar"), rej.unsupported());
        assertTrue(rej.getMessage(), rej.getMessage().contains("foo") && rej.getMessage().contains("bar"));
    }

    @Test
    public void only420ListsTheTagsThatAreNotSupported() {
        Request r = Sip.invite("sip:bob@example.com", "Proxy-Require: foo", "Proxy-Require: sec-agree, bar");
        Rejection rej = rejected(() -> RequestChecks.checkProxyRequire(r, Set.of("sec-agree")));
        assertEquals(420, rej.statusCode());
        assertEquals(List.of("foo", "bar"), rej.unsupported());
    }

    @Test
    public void supportedProxyRequireIsAccepted() throws Rejection {
        Request r = Sip.invite("sip:bob@example.com", "Proxy-Require: foo, bar");
        RequestChecks.checkProxyRequire(r, Set.of("foo", "bar", "baz"));
    }

    @Test
    public void noProxyRequireIsAccepted() throws Rejection {
        RequestChecks.checkProxyRequire(Sip.invite("sip:bob@example.com"), Set.of());
    }

    @Test
    public void requireHeaderIsNotTheProxysBusiness() throws Rejection {
        // Require is for the UAS (RFC 3261 8.2.2.3); a proxy must not reject it.
        RequestChecks.checkProxyRequire(Sip.invite("sip:bob@example.com", "Require: 100rel"), Set.of());
    }
}
