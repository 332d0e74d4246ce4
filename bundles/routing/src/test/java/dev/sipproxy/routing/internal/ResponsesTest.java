package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;

import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UnsupportedHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.Test;

public class ResponsesTest {
    private final Responses responses = new Responses(new FakeSipTransport(), new Identifiers());

    @Test
    public void rejection420ListsTheUnsupportedTags() throws Exception {
        Request r = Sip.invite("sip:bob@example.com", "Proxy-Require: foo, bar");
        Rejection rej;
        try {
            RequestChecks.checkProxyRequire(r, Set.of());
            throw new AssertionError("accepted");
        } catch (Rejection e) {
            rej = e;
        }
        Response resp = responses.reject(rej, r);
        assertEquals(420, resp.getStatusCode());
        List<String> tags = new ArrayList<>();
        ListIterator<?> it = resp.getHeaders(UnsupportedHeader.NAME);
        while (it.hasNext()) {
            tags.add(((UnsupportedHeader) it.next()).getOptionTag());
        }
        assertEquals(List.of("foo", "bar"), tags);
        assertNull(resp.getHeader(RetryAfterHeader.NAME));
    }

    @Test
    public void rejection503CarriesRetryAfter() throws Exception {
        Request r = Sip.invite("sip:bob@example.com");
        Response resp = responses.reject(new Rejection(503, "out of service", 17), r);
        assertEquals(503, resp.getStatusCode());
        assertEquals(17, ((RetryAfterHeader) resp.getHeader(RetryAfterHeader.NAME)).getRetryAfter());
        assertNull(resp.getHeader(UnsupportedHeader.NAME));
    }

    @Test
    public void finalResponsesGetAToTagButTryingDoesNot() throws Exception {
        Request r = Sip.invite("sip:bob@example.com");
        assertNotNull(((ToHeader) responses.create(416, r).getHeader(ToHeader.NAME)).getTag());
        assertNull(((ToHeader) responses.create(100, r).getHeader(ToHeader.NAME)).getTag());
    }

    @Test
    public void existingToTagIsKept() throws Exception {
        Request r = Sip.request("BYE", "sip:bob@example.com", "z9hG4bK-1", "to-1");
        assertEquals("to-1", ((ToHeader) responses.create(481, r).getHeader(ToHeader.NAME)).getTag());
    }
}
