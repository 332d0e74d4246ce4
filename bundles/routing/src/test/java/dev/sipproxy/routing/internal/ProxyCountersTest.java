package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;

import java.util.Map;

import org.junit.Test;

public class ProxyCountersTest {

    @Test
    public void countsContinueAcrossARestart() {
        ProxyCounters before = new ProxyCounters(() -> 0);
        before.requestReceived("INVITE");
        before.requestReceived("INVITE");
        before.requestReceived("FOO");
        before.responseSent(200);
        before.responseSent(503);
        before.rejected(503);
        before.failover();

        ProxyCounters after = new ProxyCounters(() -> 0);
        after.restore(before.save());
        after.requestReceived("INVITE");

        assertEquals(Long.valueOf(3), after.requestsReceived().get("INVITE"));
        assertEquals(Long.valueOf(1), after.requestsReceived().get("OTHER"));
        assertEquals(Long.valueOf(1), after.responsesSent().get("2xx"));
        assertEquals(Long.valueOf(1), after.responsesSent().get("5xx"));
        assertEquals(Map.of(503, 1L), after.rejections());
        assertEquals(1, after.failovers());
    }
}
